/**
 * The few pieces of the WebAssembly binary format our kernels need: one exported memory and
 * exported functions over i32/f32/f64/v128. The kernels are written as instruction lists in
 * TypeScript, so there is no build step and no binary file in the repository.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

export interface KernelFunction {
  name: string;
  params: ValueType[];
  results: ValueType[];
  locals: ValueType[];
  body: number[];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const bytesOf = (array: Float32Array | Float64Array | Int32Array) => [...new Uint8Array(array.buffer)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (s: string) => vec([...new TextEncoder().encode(s)].map((b) => [b]));

/** Instructions used by the kernels (opcodes from the core and SIMD specifications). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  f32Load: [0x2a, 2, 0],
  f64Load: [0x2b, 3, 0],
  i32Load8U: [0x2d, 0, 0],
  f64Store: [0x39, 3, 0],
  i32Store: [0x36, 2, 0],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...bytesOf(Float32Array.of(x))],
  f64Const: (x: number) => [0x44, ...bytesOf(Float64Array.of(x))],
  i32Eqz: [0x45],
  i32GeU: [0x4f],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32And: [0x71],
  i32Or: [0x72],
  f64Add: [0xa0],
  f64PromoteF32: [0xbb],
  v128Load: [0xfd, ...uleb(0x00), 4, 0],
  v128LoadAt: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: [0xfd, ...uleb(0x0b), 4, 0],
  v128StoreAt: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  f32x4Const: (x: number) => [0xfd, ...uleb(0x0c), ...bytesOf(Float32Array.of(x, x, x, x))],
  i32x4Const: (a: number, b: number, c: number, d: number) => [0xfd, ...uleb(0x0c), ...bytesOf(Int32Array.of(a, b, c, d))],
  i8x16Shuffle: (lanes: number[]) => [0xfd, ...uleb(0x0d), ...lanes],
  i8x16Splat: [0xfd, ...uleb(0x0f)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  i32x4ExtractLane: (lane: number) => [0xfd, ...uleb(0x1b), lane],
  f32x4ExtractLane: (lane: number) => [0xfd, ...uleb(0x1f), lane],
  f64x2ExtractLane: (lane: number) => [0xfd, ...uleb(0x21), lane],
  i8x16LeU: [0xfd, ...uleb(0x2a)],
  f32x4Ge: [0xfd, ...uleb(0x46)],
  v128And: [0xfd, ...uleb(0x4e)],
  v128Store32Lane: (lane: number, offset = 0) => [0xfd, ...uleb(0x5a), 0, ...uleb(offset), lane],
  f64x2PromoteLowF32x4: [0xfd, ...uleb(0x5f)],
  i8x16Bitmask: [0xfd, ...uleb(0x64)],
  i8x16NarrowI16x8U: [0xfd, ...uleb(0x66)],
  i16x8NarrowI32x4S: [0xfd, ...uleb(0x85)],
  i16x8NarrowI32x4U: [0xfd, ...uleb(0x86)],
  f32x4Nearest: [0xfd, ...uleb(0x6a)],
  i32x4Shl: [0xfd, ...uleb(0xab)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4MinU: [0xfd, ...uleb(0xb7)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  f32x4Pmax: [0xfd, ...uleb(0xeb)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  i32x4TruncSatF32x4S: [0xfd, ...uleb(0xf8)],
} as const;

/**
 * `while (i < bound) { body; i += step }`, with i a local and `bound` instructions that push the
 * limit (unsigned compare).
 */
export function countedLoop(i: number, bound: readonly number[], step: number, body: readonly number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...bound,
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32Const(step),
    ...op.i32Add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** A module with one exported memory ("memory", growable) and the given exported functions. */
export function assembleModule(functions: KernelFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  const exports = [[...name("memory"), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
