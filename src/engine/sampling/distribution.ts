import { nothingToSample } from "../../protocol/plan-errors.js";
import { BAND_COUNT, scalarSoftmax, type Bands, type SoftmaxKernel } from "./kernels/softmax.js";
import { simdSoftmax } from "./kernels/softmax-simd.js";

export { BAND_COUNT, type Bands };

/**
 * The softmax of processed logits at a temperature, computed once per token and shared by the
 * sampler and logprobs: weights[i] = exp((l_i - max) / T) in float32, total = their sum.
 */
export interface Distribution {
  max: number;
  invT: number;
  weights: Float32Array;
  total: number;
  logTotal: number;
  /** Filled when asked: each token's 1/8-nat band below the top one (band-mass.ts weighs them). */
  bands?: Bands;
}

export function newBands(vocab: number): Bands {
  return { of: new Uint8Array(vocab) };
}

/** WebAssembly SIMD where the JS engine has it; the bit-identical scalar twin elsewhere. */
export const softmaxKernel: SoftmaxKernel = simdSoftmax() ?? scalarSoftmax;

/**
 * The distribution of logits at a temperature. With weights null they are the kernel's own array,
 * valid until the next distribution computed so (the decode loop reads them at once).
 */
export function distribution(logits: Float32Array, temperature: number, out: Float32Array | null, bands?: Bands): Distribution {
  const invT = temperature > 0 ? 1 / temperature : 1;
  const { max, total, weights } = softmaxKernel.run(logits, invT, out, bands);
  if (max === -Infinity) throw nothingToSample();
  return { max, invT, weights, total, logTotal: Math.log(total), bands };
}

/** log p(id) under the distribution. */
export function logprobOf(logits: Float32Array, d: Distribution, id: number): number {
  return Math.max((logits[id]! - d.max) * d.invT - d.logTotal, -9999);
}
