import type { InitProgressReport } from "@mlc-ai/web-llm";
import type { LoadProgress } from "../../models/progress.js";

/** web-llm reports one 0..1 fraction with a sentence; name the stage from the sentence. */
export function progressOf(r: InitProgressReport, file: string): LoadProgress {
  const stage: LoadProgress["stage"] =
    r.progress >= 1 && /finish/i.test(r.text) ? "ready" : /fetch|download|cache\[/i.test(r.text) ? "download" : "compile";
  return { stage, file, loaded: r.progress, total: 1, text: r.text };
}
