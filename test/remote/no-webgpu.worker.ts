/// <reference lib="webworker" />
/** The package's engine in a worker without WebGPU: navigator.gpu hidden (checked at load, so after the imports is early enough). */
import { exposeEngine } from "../../src/worker/expose.js";

Object.defineProperty(Object.getPrototypeOf(navigator) as object, "gpu", { get: () => undefined, configurable: true });
exposeEngine();
