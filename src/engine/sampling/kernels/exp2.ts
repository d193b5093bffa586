/**
 * The float32 exp2 every softmax lane computes, and the constants the SIMD kernel and its scalar
 * twin share: 2^t with the integer part of t put straight into the exponent bits and the
 * fraction through Cephes' degree-6 exp2 polynomial (relative error < 3e-7).
 */

/** Band b holds the tokens with (max - l) * invT in [b / 8, (b + 1) / 8) nats; the last takes the rest. */
export const BAND_COUNT = 256;
export const BANDS_PER_NAT = 8;

/** log2 of the smallest weight kept: 2^-125 stays a normal float32. */
export const LOWEST = -125;

/** exp2 polynomial coefficients, highest power first, as float32. */
export const P = [1.5353362e-4, 1.3398874e-3, 9.61843735767464e-3, 5.5503325e-2, 2.4022648e-1, 6.931472e-1].map(Math.fround);

const [P0, P1, P2, P3, P4, P5] = P as [number, number, number, number, number, number];
const fr = Math.fround;

/** Round half to even, as WebAssembly's nearest. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One weight, 2^((l - max) * scale), exactly as a SIMD lane computes it (every step in float32). */
export function weightOf(l: number, max: number, scale: number): number {
  const t = fr(fr(l - max) * scale);
  if (!(t >= LOWEST)) return 0;
  const n = roundHalfEven(t);
  const f = fr(t - n);
  let p = fr(fr(P0 * f) + P1);
  p = fr(fr(p * f) + P2);
  p = fr(fr(p * f) + P3);
  p = fr(fr(p * f) + P4);
  p = fr(fr(p * f) + P5);
  p = fr(fr(p * f) + 1);
  return p * 2 ** n; // exact: only the exponent changes
}
