/**
 * The worker's whole source as text, for bundlers that cannot emit a worker file (esbuild). In the
 * source tree there is none; the library build replaces this module with the package import
 * `#inline-worker`, which package.json maps to the real copy only where no `development` /
 * `production` condition is set (Vite and webpack set one and emit the worker file instead).
 */
export async function inlineWorkerSource(): Promise<string | null> {
  return null;
}
