/**
 * The softmax kernel's WebAssembly SIMD functions, written as instruction lists. Each mirrors a
 * loop of the scalar twin in softmax.ts, which the unit tests hold it to bit for bit.
 */
import { HEAD_FN, HEAD_SUMS_FN } from "./head-wasm.js";
import { SOFTMAX_BANDS_FN, SOFTMAX_FN, writeConstants } from "./softmax-exp-wasm.js";
import { assembleModule, countedLoop, F32, I32, op, V128, type KernelFunction } from "./wasm-module.js";

// Locals are numbered after the params.
const MAX_FN: KernelFunction = (() => {
  // params: logits address, n (a multiple of 4)
  const [at, n, i, acc, end] = [0, 1, 2, 3, 4];
  return {
    name: "max",
    params: [I32, I32],
    results: [F32],
    locals: [I32, V128, I32],
    body: [
      ...op.f32x4Const(-Infinity),
      ...op.set(acc),
      ...op.get(at),
      ...op.set(i),
      ...op.get(n),
      ...op.i32Const(4),
      ...op.i32Mul,
      ...op.get(at),
      ...op.i32Add,
      ...op.set(end),
      // pmax(acc, x) = acc < x ? x : acc, so a NaN logit is skipped as `>` skips it in JS.
      ...countedLoop(i, op.get(end), 16, [...op.get(acc), ...op.get(i), ...op.v128Load, ...op.f32x4Pmax, ...op.set(acc)]),
      ...op.get(acc),
      ...op.get(acc),
      ...op.get(acc),
      ...op.i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]),
      ...op.f32x4Pmax,
      ...op.set(acc),
      ...op.get(acc),
      ...op.get(acc),
      ...op.get(acc),
      ...op.i8x16Shuffle([4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15]),
      ...op.f32x4Pmax,
      ...op.f32x4ExtractLane(0),
    ],
  };
})();

export interface SoftmaxExports {
  memory: WebAssembly.Memory;
  max(at: number, n: number): number;
  /** Weights at wAt and their total (after writeCallVectors); softmaxBands also fills bands at ofAt. */
  softmax(n: number, inAt: number, wAt: number, ofAt: number): number;
  softmaxBands(n: number, inAt: number, wAt: number, ofAt: number): number;
  head(ofAt: number, n: number, cross: number, out: number): number;
  /** head, and adds each listed id's weight (at wAt) to mass[band] (float64s at massAt). */
  headSums(ofAt: number, n: number, cross: number, out: number, wAt: number, massAt: number): number;
}

/** The instantiated module, or null where WebAssembly SIMD is missing. */
export function instantiateSoftmax(): SoftmaxExports | null {
  const bytes = assembleModule([MAX_FN, SOFTMAX_FN, SOFTMAX_BANDS_FN, HEAD_FN, HEAD_SUMS_FN]);
  if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return null;
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as SoftmaxExports;
  writeConstants(k.memory);
  return k;
}
