/** The repository's Vite config, plus read access to the real model's cached folder (served as /@fs/…). */
import { mergeConfig } from "vite";
import base from "../../vite.config.js";
import { REAL_MODEL_DIR } from "./servers.js";

export default mergeConfig(base, { server: { fs: { allow: [".", REAL_MODEL_DIR] } } });
