/**
 * The softmax kernel's main pass as WebAssembly SIMD: weights, their total and, in the "bands"
 * variant, each token's band, in one pass over the logits. It gives the bits of the scalar twin's
 * weight loop followed by its fillBands (softmax.ts).
 */
import { LOWEST, P } from "./exp2.js";
import { countedLoop, F64, I32, op, V128, type KernelFunction } from "./wasm-module.js";

/**
 * t + MAGIC rounds t (in [-125, 0]) to the nearest integer, ties to even, as f32x4.nearest does,
 * and leaves that integer in the low bits of the sum: shifted left by 23 they are the integer's
 * exponent bits, as i32x4.trunc_sat_f32x4_s(nearest(t)) << 23 gives them, at the cost of one add.
 */
const MAGIC = 1.5 * 2 ** 23;

/**
 * The loop's constant vectors, which the kernel loads from the start of memory into locals once:
 * V8 would otherwise rebuild each v128.const (three instructions) and each splat of a parameter
 * in every iteration. The call's own vectors (max and two scales) follow the constants.
 */
export const CONSTANT_BYTES = 256;
const F32_CONSTANTS = [LOWEST, MAGIC, ...P, 1];
const CONSTANTS = F32_CONSTANTS.length;
const CALL_VECTORS = 3; // max, invT * log2 e, -invT * 8

/** Writes the constant vectors at address 0 of the kernel's memory. */
export function writeConstants(memory: WebAssembly.Memory): void {
  const f = new Float32Array(memory.buffer, 0, CONSTANT_BYTES / 4);
  F32_CONSTANTS.forEach((c, k) => f.fill(c, 4 * k, 4 * k + 4));
}

/** Writes one call's vectors after the constants: max, scale and negPerNat as float32 splats. */
export function writeCallVectors(memory: WebAssembly.Memory, max: number, scale: number, negPerNat: number): void {
  const f = new Float32Array(memory.buffer, CONSTANTS * 16, 4 * CALL_VECTORS);
  [max, scale, negPerNat].forEach((c, k) => f.fill(c, 4 * k, 4 * k + 4));
}

// params: n (a multiple of 8), logits address, weights address, bands address; result: total.
// Locals are numbered after the params.
const [n, inAt, out, ofAt] = [0, 1, 2, 3];
const [i, end] = [4, 5];
const [t, keep, r, f, w, acc0, acc1, d, lo, hi, band] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
// Then the table's vectors, in its order: lowest, magic, P[0..5], one, then the call's
// maxv, scalev and perNatv.
const [lowest, magic] = [17, 18];
const poly = P.map((_, k) => magic + 1 + k);
const one = magic + 1 + P.length;
const [maxv, scalev, perNatv] = [lowest + CONSTANTS, lowest + CONSTANTS + 1, lowest + CONSTANTS + 2];

const loadTable = Array.from({ length: CONSTANTS + CALL_VECTORS }, (_, k) => [
  ...op.i32Const(0),
  ...op.v128LoadAt(16 * k),
  ...op.set(lowest + k),
]).flat();
const horner = poly.slice(1).flatMap((c) => [...op.get(f), ...op.f32x4Mul, ...op.get(c), ...op.f32x4Add]);
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** w = 2^t for the four logits at byte offset i + at (0 below LOWEST), stored; lo and hi are w in float64. */
const weight = (at: number) => [
  ...op.get(inAt),
  ...op.get(i),
  ...op.i32Add,
  ...op.v128LoadAt(at),
  ...op.get(maxv),
  ...op.f32x4Sub,
  ...op.tee(d),
  ...op.get(scalev),
  ...op.f32x4Mul,
  ...op.tee(t),
  ...op.get(lowest),
  ...op.f32x4Ge,
  ...op.set(keep),
  // pmax(LOWEST, t) sends NaN and -Infinity to LOWEST; `keep` zeroes them afterwards.
  ...op.get(lowest),
  ...op.get(t),
  ...op.f32x4Pmax,
  ...op.tee(t),
  ...op.get(magic),
  ...op.f32x4Add,
  ...op.tee(r),
  ...op.get(t),
  ...op.get(r),
  ...op.get(magic),
  ...op.f32x4Sub,
  ...op.f32x4Sub,
  ...op.set(f),
  ...op.get(poly[0]!),
  ...horner,
  ...op.get(f),
  ...op.f32x4Mul,
  ...op.get(one),
  ...op.f32x4Add,
  ...op.get(r),
  ...op.i32Const(23),
  ...op.i32x4Shl,
  ...op.i32x4Add,
  ...op.get(keep),
  ...op.v128And,
  ...op.set(w),
  ...op.get(out),
  ...op.get(i),
  ...op.i32Add,
  ...op.get(w),
  ...op.v128StoreAt(at),
  ...op.get(w),
  ...op.f64x2PromoteLowF32x4,
  ...op.set(lo),
  ...op.get(w),
  ...op.get(w),
  ...op.i8x16Shuffle(HIGH_HALF),
  ...op.f64x2PromoteLowF32x4,
  ...op.set(hi),
];

const total = [
  ...op.get(acc0),
  ...op.get(lo),
  ...op.f64x2Add,
  ...op.set(acc0),
  ...op.get(acc1),
  ...op.get(hi),
  ...op.f64x2Add,
  ...op.set(acc1),
];

/**
 * band = min(trunc((max - l) * invT * 8), 255), stored as bytes (trunc_sat sends NaN to 0). The
 * value is never negative, so saturating to int16 and then to uint8 is the min with 255.
 */
const bands = (at: number) => [
  ...op.get(ofAt),
  ...op.get(i),
  ...op.i32Const(2),
  ...op.i32ShrU,
  ...op.i32Add,
  ...op.get(d),
  ...op.get(perNatv),
  ...op.f32x4Mul,
  ...op.i32x4TruncSatF32x4S,
  ...op.tee(band),
  ...op.get(band),
  ...op.i16x8NarrowI32x4S,
  ...op.get(band),
  ...op.get(band),
  ...op.i16x8NarrowI32x4S,
  ...op.i8x16NarrowI16x8U,
  ...op.v128Store32Lane(0, at / 4),
];

function expFunction(withBands: boolean): KernelFunction {
  return {
    name: withBands ? "softmaxBands" : "softmax",
    params: [I32, I32, I32, I32],
    results: [F64],
    locals: [I32, I32, ...Array<typeof V128>(lowest - t + CONSTANTS + CALL_VECTORS).fill(V128)],
    body: [
      ...loadTable,
      ...op.get(n),
      ...op.i32Const(4),
      ...op.i32Mul,
      ...op.set(end),
      // Two vectors an iteration: the loop's own instructions and reloads of spilled constants
      // count half as much; the total still takes the lanes in id order.
      ...countedLoop(
        i,
        op.get(end),
        32,
        [0, 16].flatMap((at) => [...weight(at), ...total, ...(withBands ? bands(at) : [])]),
      ),
      ...op.get(acc0),
      ...op.get(acc1),
      ...op.f64x2Add,
      ...op.tee(acc0),
      ...op.f64x2ExtractLane(0),
      ...op.get(acc0),
      ...op.f64x2ExtractLane(1),
      ...op.f64Add,
    ],
  };
}

export const SOFTMAX_FN = expFunction(false);
export const SOFTMAX_BANDS_FN = expFunction(true);
