/** window.real: createEngine as apps call it (catalog ids, hubUrl), for test/browser/real-model.spec.ts; errors as data. */
import {
  createEngine,
  type ChatCompletionRequest,
  type ChatEngine,
  type CreateEngineOptions,
  type LoadProgress,
} from "../../../src/index.js";
import { errorInfo } from "./error-info.js";

let engine: ChatEngine | undefined;
const progress: LoadProgress[] = [];

const real = {
  async start(opts: CreateEngineOptions) {
    await engine?.dispose();
    progress.length = 0;
    try {
      engine = await createEngine({ ...opts, onProgress: (p) => void progress.push(p) });
      return { ok: true as const, progress: progress.map((p) => p.text) };
    } catch (e) {
      engine = undefined;
      return errorInfo(e);
    }
  },
  async create(body: unknown) {
    try {
      return await engine!.chat.completions.create({ ...(body as ChatCompletionRequest), stream: false });
    } catch (e) {
      return errorInfo(e);
    }
  },
};

declare global {
  interface Window {
    real: typeof real;
  }
}
window.real = real;
document.body.dataset.ready = "true";
