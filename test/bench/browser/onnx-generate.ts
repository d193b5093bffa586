/** What both bench workers (ours and transformers.js) answer: load a model on a device, then greedy generate from token ids. */
export type GenerateDevice = "wasm" | "webgpu";
/** The graphs the benches compare (onnx/model.onnx, onnx/model_q4.onnx). */
export type GenerateDtype = "fp32" | "q4";

export interface GenerateRun {
  /** performance.now() of each new token, counted from the call (the cold prompt): [0] is the time to the first token. */
  stamps: number[];
  /** The new token ids. */
  tokens: number[];
}
