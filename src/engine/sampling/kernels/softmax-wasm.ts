/**
 * The softmax kernel's WebAssembly SIMD functions, written as instruction lists. Each mirrors a
 * loop of the scalar twin in softmax.ts, which the unit tests hold it to bit for bit.
 */
import { BAND_COUNT, LOWEST, P } from "./exp2.js";
import { assembleModule, countedLoop, F32, F64, I32, op, V128, type KernelFunction } from "./wasm-module.js";

// Locals are numbered after the params.
const MAX_FN: KernelFunction = (() => {
  const [n, i, acc, end] = [0, 1, 2, 3];
  return {
    name: "max",
    params: [I32],
    results: [F32],
    locals: [I32, V128, I32],
    body: [
      ...op.f32x4Const(-Infinity),
      ...op.set(acc),
      ...op.get(n),
      ...op.i32Const(4),
      ...op.i32Mul,
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

const EXP_FN: KernelFunction = (() => {
  // params: n (a multiple of 4), weights address, max, scale; result: total
  const [n, out, max, scale, i, end, maxv, scalev, t, keep, nf, f, p, w, acc0, acc1] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  ];
  const horner = P.slice(1).flatMap((c) => [...op.get(f), ...op.f32x4Mul, ...op.f32x4Const(c), ...op.f32x4Add]);
  return {
    name: "softmax",
    params: [I32, I32, F32, F32],
    results: [F64],
    locals: [I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      ...op.get(max),
      ...op.f32x4Splat,
      ...op.set(maxv),
      ...op.get(scale),
      ...op.f32x4Splat,
      ...op.set(scalev),
      ...op.get(n),
      ...op.i32Const(4),
      ...op.i32Mul,
      ...op.set(end),
      ...countedLoop(i, op.get(end), 16, [
        ...op.get(i),
        ...op.v128Load,
        ...op.get(maxv),
        ...op.f32x4Sub,
        ...op.get(scalev),
        ...op.f32x4Mul,
        ...op.tee(t),
        ...op.f32x4Const(LOWEST),
        ...op.f32x4Ge,
        ...op.set(keep),
        // pmax(LOWEST, t) sends NaN and -Infinity to LOWEST; `keep` zeroes them afterwards.
        ...op.f32x4Const(LOWEST),
        ...op.get(t),
        ...op.f32x4Pmax,
        ...op.tee(t),
        ...op.f32x4Nearest,
        ...op.tee(nf),
        ...op.get(t),
        ...op.get(nf),
        ...op.f32x4Sub,
        ...op.set(f),
        ...op.f32x4Const(P[0]!),
        ...horner,
        ...op.get(f),
        ...op.f32x4Mul,
        ...op.f32x4Const(1),
        ...op.f32x4Add,
        ...op.set(p),
        ...op.get(p),
        ...op.get(nf),
        ...op.i32x4TruncSatF32x4S,
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
        ...op.v128Store,
        ...op.get(acc0),
        ...op.get(w),
        ...op.f64x2PromoteLowF32x4,
        ...op.f64x2Add,
        ...op.set(acc0),
        ...op.get(acc1),
        ...op.get(w),
        ...op.get(w),
        ...op.i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]),
        ...op.f64x2PromoteLowF32x4,
        ...op.f64x2Add,
        ...op.set(acc1),
      ]),
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
})();

const BANDS_FN: KernelFunction = (() => {
  // params: n (a multiple of 4), weights address, bands address, mass address (8-aligned), max, invT * 8.
  // Mass goes to four tables interleaved by lane (mass[band * 4 + id % 4]) so that neighbouring
  // tokens of one band do not wait on each other's store.
  const [n, wAt, ofAt, massAt, max, perNat, i, a, bv, wv, maxv, pv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const lane = (j: number) => [
    ...op.get(massAt),
    ...op.get(bv),
    ...op.i32x4ExtractLane(j),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Const(j),
    ...op.i32Or,
    ...op.i32Const(3),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.tee(a),
    ...op.get(a),
    ...op.f64Load,
    ...op.get(wv),
    ...op.f32x4ExtractLane(j),
    ...op.f64PromoteF32,
    ...op.f64Add,
    ...op.f64Store,
  ];
  return {
    name: "bands",
    params: [I32, I32, I32, I32, F32, F32],
    results: [],
    locals: [I32, I32, V128, V128, V128, V128],
    body: [
      ...op.get(max),
      ...op.f32x4Splat,
      ...op.set(maxv),
      ...op.get(perNat),
      ...op.f32x4Splat,
      ...op.set(pv),
      ...countedLoop(i, op.i32Const(BAND_COUNT * 4), 1, [
        ...op.get(massAt),
        ...op.get(i),
        ...op.i32Const(3),
        ...op.i32Shl,
        ...op.i32Add,
        ...op.f64Const(0),
        ...op.f64Store,
      ]),
      ...op.i32Const(0),
      ...op.set(i),
      ...countedLoop(i, op.get(n), 4, [
        // min_u also sends a NaN's 0 through as 0 and +Infinity's saturated int to the last band.
        ...op.get(maxv),
        ...op.get(i),
        ...op.i32Const(4),
        ...op.i32Mul,
        ...op.v128Load,
        ...op.f32x4Sub,
        ...op.get(pv),
        ...op.f32x4Mul,
        ...op.i32x4TruncSatF32x4S,
        ...op.i32Const(BAND_COUNT - 1),
        ...op.i32x4Splat,
        ...op.i32x4MinU,
        ...op.set(bv),
        ...op.get(ofAt),
        ...op.get(i),
        ...op.i32Add,
        ...op.get(bv),
        ...op.get(bv),
        ...op.i16x8NarrowI32x4U,
        ...op.get(bv),
        ...op.get(bv),
        ...op.i16x8NarrowI32x4U,
        ...op.i8x16NarrowI16x8U,
        ...op.v128Store32Lane(0),
        ...op.get(wAt),
        ...op.get(i),
        ...op.i32Const(4),
        ...op.i32Mul,
        ...op.i32Add,
        ...op.v128Load,
        ...op.set(wv),
        ...lane(0),
        ...lane(1),
        ...lane(2),
        ...lane(3),
      ]),
    ],
  };
})();

const HEAD_FN: KernelFunction = (() => {
  // params: bands address, n (a multiple of 16), cross, out address; result: how many ids have
  // band <= cross, written in id order. 16 bands per compare; a chunk with none costs one branch.
  const [ofAt, n, cross, out, i, m, count, crossv] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: "head",
    params: [I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, V128],
    body: [
      ...op.get(cross),
      ...op.i8x16Splat,
      ...op.set(crossv),
      ...countedLoop(i, op.get(n), 16, [
        ...op.get(ofAt),
        ...op.get(i),
        ...op.i32Add,
        ...op.v128Load,
        ...op.get(crossv),
        ...op.i8x16LeU,
        ...op.i8x16Bitmask,
        ...op.set(m),
        ...op.block,
        ...op.loop,
        ...op.get(m),
        ...op.i32Eqz,
        ...op.brIf(1),
        ...op.get(out),
        ...op.get(count),
        ...op.i32Const(2),
        ...op.i32Shl,
        ...op.i32Add,
        ...op.get(i),
        ...op.get(m),
        ...op.i32Ctz,
        ...op.i32Add,
        ...op.i32Store,
        ...op.get(count),
        ...op.i32Const(1),
        ...op.i32Add,
        ...op.set(count),
        ...op.get(m),
        ...op.get(m),
        ...op.i32Const(1),
        ...op.i32Sub,
        ...op.i32And,
        ...op.set(m),
        ...op.br(0),
        ...op.end,
        ...op.end,
      ]),
      ...op.get(count),
    ],
  };
})();

export interface SoftmaxExports {
  memory: WebAssembly.Memory;
  max(n: number): number;
  softmax(n: number, out: number, max: number, scale: number): number;
  bands(n: number, wAt: number, ofAt: number, massAt: number, max: number, perNat: number): void;
  head(ofAt: number, n: number, cross: number, out: number): number;
}

/** The instantiated module, or null where WebAssembly SIMD is missing. */
export function instantiateSoftmax(): SoftmaxExports | null {
  const bytes = assembleModule([MAX_FN, EXP_FN, BANDS_FN, HEAD_FN]);
  if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as SoftmaxExports;
}
