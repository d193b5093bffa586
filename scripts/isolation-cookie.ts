import type { Connect, Plugin } from "vite";

/** The cookie a test sets (context.addCookies) to have this dev server isolate its pages. */
export const ISOLATION_COOKIE = { name: "coi", value: "1" } as const;

const HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

const isolate: Connect.NextHandleFunction = (req, res, next) => {
  const cookies = req.headers.cookie?.split(/;\s*/) ?? [];
  if (cookies.includes(`${ISOLATION_COOKIE.name}=${ISOLATION_COOKIE.value}`))
    for (const [k, v] of Object.entries(HEADERS)) res.setHeader(k, v);
  next();
};

/**
 * Serves a browser that carries the cookie coi=1 cross-origin isolated (COOP + COEP on every
 * response): the page, its workers and their imports all send the cookie, so one dev server gives
 * one test an isolated page (onnxruntime's WASM threads) and the others plain ones.
 */
export function isolationOnCookie(): Plugin {
  return {
    name: "isolation-on-cookie",
    configureServer: (server) => void server.middlewares.use(isolate),
    configurePreviewServer: (server) => void server.middlewares.use(isolate),
  };
}
