/// <reference lib="webworker" />
/**
 * The engine worker (src/worker/worker.ts, unchanged) in a browser that reports a 20 MB quota with
 * nothing used: navigator.storage.estimate() is the boundary the test cannot set otherwise (the
 * DevTools quota override is enforced on writes but not reported by estimate()).
 */
import "../../../src/worker/worker.js";

export const REPORTED_QUOTA = 20_000_000;
StorageManager.prototype.estimate = () => Promise.resolve({ usage: 0, quota: REPORTED_QUOTA });
