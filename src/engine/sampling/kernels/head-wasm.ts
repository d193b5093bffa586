/**
 * The kernel's "head" functions as WebAssembly SIMD: the ids whose band is at most `cross`, in id
 * order, 16 bands per compare (a chunk with none costs one branch); "headSums" also adds each
 * listed id's weight to its band's float64 mass, so the band masses of the head (band-mass.ts)
 * cost one scan.
 */
import { countedLoop, I32, op, V128, type KernelFunction } from "./wasm-module.js";

// params: bands address, n (a multiple of 16), cross, out address[, weights address, mass
// address]; result: how many ids were written. Locals are numbered after the params.
function headFunction(withSums: boolean): KernelFunction {
  const [ofAt, n, cross, out, wAt, massAt] = [0, 1, 2, 3, 4, 5];
  const first = withSums ? 6 : 4;
  const [i, m, count, id, a, crossv] = [first, first + 1, first + 2, first + 3, first + 4, first + 5];
  // mass[of[id]] += weights[id]
  const sum = [
    ...op.get(massAt),
    ...op.get(ofAt),
    ...op.get(id),
    ...op.i32Add,
    ...op.i32Load8U,
    ...op.i32Const(3),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.tee(a),
    ...op.get(a),
    ...op.f64Load,
    ...op.get(wAt),
    ...op.get(id),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
    ...op.f64PromoteF32,
    ...op.f64Add,
    ...op.f64Store,
  ];
  return {
    name: withSums ? "headSums" : "head",
    params: withSums ? [I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, V128],
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
        ...op.get(i),
        ...op.get(m),
        ...op.i32Ctz,
        ...op.i32Add,
        ...op.set(id),
        ...op.get(out),
        ...op.get(count),
        ...op.i32Const(2),
        ...op.i32Shl,
        ...op.i32Add,
        ...op.get(id),
        ...op.i32Store,
        ...(withSums ? sum : []),
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
}

export const HEAD_FN = headFunction(false);
export const HEAD_SUMS_FN = headFunction(true);
