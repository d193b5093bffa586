import { halfToFloat } from "./half.js";

const f = Math.fround;

/**
 * Scalar dequantization of `n` weights (whole blocks) starting at byte `at`, into out[o ..). The
 * float32 rounding follows gguf-py's numpy dequantize step by step, so the result equals the
 * weights transformers loads from the same file, bit for bit.
 */
export function dequantize(type: number, b: Uint8Array, at: number, n: number, out: Float32Array, o: number): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h = (p: number) => halfToFloat(dv.getUint16(p, true));
  switch (type) {
    case 0:
      for (let i = 0; i < n; i++) out[o + i] = dv.getFloat32(at + 4 * i, true);
      return;
    case 1:
      for (let i = 0; i < n; i++) out[o + i] = h(at + 2 * i);
      return;
    case 30:
      bf16(dv, at, n, out, o);
      return;
    case 2:
      for (let blk = 0; blk < n; blk += 32, at += 18, o += 32) {
        const d = h(at);
        for (let j = 0; j < 16; j++) {
          const q = b[at + 2 + j]!;
          out[o + j] = f(((q & 15) - 8) * d);
          out[o + j + 16] = f(((q >> 4) - 8) * d);
        }
      }
      return;
    case 3:
      for (let blk = 0; blk < n; blk += 32, at += 20, o += 32) {
        const d = h(at);
        const m = h(at + 2);
        for (let j = 0; j < 16; j++) {
          const q = b[at + 4 + j]!;
          out[o + j] = f(f((q & 15) * d) + m);
          out[o + j + 16] = f(f((q >> 4) * d) + m);
        }
      }
      return;
    case 6:
    case 7: {
      const hasMin = type === 7;
      const size = hasMin ? 24 : 22;
      for (let blk = 0; blk < n; blk += 32, at += size, o += 32) {
        const d = h(at);
        const m = hasMin ? h(at + 2) : 0;
        const qh = dv.getUint32(at + (hasMin ? 4 : 2), true);
        const qs = at + (hasMin ? 8 : 6);
        for (let j = 0; j < 16; j++) {
          const q = b[qs + j]!;
          const lo = (q & 15) | (((qh >>> j) & 1) << 4);
          const hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
          out[o + j] = hasMin ? f(f(lo * d) + m) : f((lo - 16) * d);
          out[o + j + 16] = hasMin ? f(f(hi * d) + m) : f((hi - 16) * d);
        }
      }
      return;
    }
    case 8:
      for (let blk = 0; blk < n; blk += 32, at += 34, o += 32) {
        const d = h(at);
        for (let j = 0; j < 32; j++) out[o + j] = f(((b[at + 2 + j]! << 24) >> 24) * d);
      }
      return;
    case 12:
    case 13:
      kQuant(type === 13, b, dv, at, n, out, o);
      return;
    case 14:
      q6K(b, dv, at, n, out, o);
      return;
    default:
      throw new Error(`no dequantizer for ggml type ${type}`);
  }
}

function bf16(dv: DataView, at: number, n: number, out: Float32Array, o: number): void {
  const u = new Uint32Array(1);
  const asF = new Float32Array(u.buffer);
  for (let i = 0; i < n; i++) {
    u[0] = dv.getUint16(at + 2 * i, true) << 16;
    out[o + i] = asF[0]!;
  }
}

/** The 6-bit scale and min of sub-block j from a K-quant's 12 packed bytes at s. */
function scaleMin(b: Uint8Array, s: number, j: number): [number, number] {
  if (j < 4) return [b[s + j]! & 63, b[s + j + 4]! & 63];
  return [(b[s + j + 4]! & 15) | ((b[s + j - 4]! >> 6) << 4), (b[s + j + 4]! >> 4) | ((b[s + j]! >> 6) << 4)];
}

/** Q4_K (144-byte blocks) and Q5_K (176: a 32-byte high-bit plane before the nibbles). */
function kQuant(five: boolean, b: Uint8Array, dv: DataView, at: number, n: number, out: Float32Array, o: number): void {
  const size = five ? 176 : 144;
  for (let blk = 0; blk < n; blk += 256, at += size) {
    const d = halfToFloat(dv.getUint16(at, true));
    const dmin = halfToFloat(dv.getUint16(at + 2, true));
    const qh = at + 16;
    const qs = at + (five ? 48 : 16);
    for (let sub = 0; sub < 8; sub++) {
      const [sc, mn] = scaleMin(b, at + 4, sub);
      const ds = f(d * sc);
      const dm = f(dmin * mn);
      const byte = qs + (sub >> 1) * 32;
      const shift = (sub & 1) * 4;
      for (let l = 0; l < 32; l++) {
        let q = (b[byte + l]! >> shift) & 15;
        if (five) q |= ((b[qh + l]! >> sub) & 1) << 4;
        out[o++] = f(f(ds * q) - dm);
      }
    }
  }
}

/** Q6_K: 128 low nibbles, 64 bytes of 2-bit highs, 16 int8 scales, f16 d (210 bytes). */
function q6K(b: Uint8Array, dv: DataView, at: number, n: number, out: Float32Array, o: number): void {
  for (let blk = 0; blk < n; blk += 256, at += 210) {
    const d = halfToFloat(dv.getUint16(at + 208, true));
    for (let half = 0; half < 2; half++) {
      const ql = at + half * 64;
      const qh = at + 128 + half * 32;
      const sc = at + 192 + half * 8;
      const y = o + blk + half * 128;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = b[qh + l]!;
        const q1 = ((b[ql + l]! & 15) | ((h & 3) << 4)) - 32;
        const q2 = ((b[ql + l + 32]! & 15) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((b[ql + l]! >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((b[ql + l + 32]! >> 4) | (((h >> 6) & 3) << 4)) - 32;
        const s = (k: number) => f(d * ((b[sc + is + k]! << 24) >> 24));
        out[y + l] = f(s(0) * q1);
        out[y + l + 32] = f(s(2) * q2);
        out[y + l + 64] = f(s(4) * q3);
        out[y + l + 96] = f(s(6) * q4);
      }
    }
  }
}
