/// <reference lib="webworker" />
/** The package's worker in a context without WebGPU: navigator.gpu hidden before the engine loads. */
Object.defineProperty(Object.getPrototypeOf(navigator) as object, "gpu", { get: () => undefined, configurable: true });
await import("../../src/worker/worker.js");
export {};
