/** The package's bin: dist/cli.js, with the tokenizer files in dist/tiny-model/. */
import { main } from "./main.js";

process.exitCode = main(process.argv.slice(2), new URL("./tiny-model/", import.meta.url));
