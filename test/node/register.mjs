// `node --import ./test/node/register.mjs` (Vitest passes it to its workers): the engine's wasm
// dependencies load in Node. See umd-as-commonjs.mjs.
import { register } from "node:module";

register("./umd-as-commonjs.mjs", import.meta.url);
