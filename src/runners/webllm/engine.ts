import type { ChatOptions, MLCEngineConfig } from "@mlc-ai/web-llm";

/**
 * The part of web-llm's `MLCEngine` this runner uses. `loadedModelIdToPipeline` (private in
 * web-llm) gives the lower-level path and tells when web-llm dropped the model (device loss); a
 * stand-in without it runs on the public path.
 */
export interface MLCEngineLike {
  reload(modelId: string, chatOpts?: ChatOptions): Promise<void>;
  forwardTokensAndSample(inputIds: number[], isPrefill: boolean): Promise<number>;
  resetChat(keepStats?: boolean): Promise<void>;
  unload(): Promise<void>;
}

/** web-llm's loaded pipelines by model id (null for an engine without that map). */
export function pipelines(engine: MLCEngineLike): Map<string, unknown> | null {
  const map = (engine as { loadedModelIdToPipeline?: unknown }).loadedModelIdToPipeline;
  return map instanceof Map ? (map as Map<string, unknown>) : null;
}

export async function defaultEngine(config: MLCEngineConfig): Promise<MLCEngineLike> {
  const { MLCEngine } = await import("@mlc-ai/web-llm");
  return new MLCEngine(config);
}
