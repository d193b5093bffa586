/** Where the consumer apps are made (outside the repo, so nothing resolves from its node_modules). */
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CONSUMERS_DIR = process.env.CONSUMERS_DIR ?? join(tmpdir(), "webgpu-chat-engine-consumers");
export const MODELS_DIR = join(CONSUMERS_DIR, "models");
const base = Number(process.env.CONSUMER_PORT ?? 7170);
export const PORTS = { viteDev: base, vitePreview: base + 1, webpack: base + 2, esbuild: base + 3, git: base + 4 };
export const bin = (pkg: string, file: string) => join(CONSUMERS_DIR, "node_modules", pkg, file);
