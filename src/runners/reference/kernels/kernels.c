// Matrix kernels of the reference runner for weights kept in their GGUF encoding, compiled to
// wasm32 with SIMD (scripts/build-kernels.sh). Each row is dequantized into a float32 buffer block
// by block with the same float32 rounding as gguf-py (so, as the scalar twin in dequant.ts), then
// dotted with the input in four-lane float32 accumulators. No libc: nothing here allocates.
#include <stdint.h>
#include <wasm_simd128.h>

typedef union { uint32_t u; float f; } bits32;

static inline float h2f(const uint8_t *p) {
  uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 31u, man = h & 0x3ffu;
  bits32 b;
  if (exp == 0) {
    float f = (float)man * (1.0f / 16777216.0f);  // subnormal: man * 2^-24, exact
    return sign ? -f : f;
  }
  b.u = exp == 31 ? (sign | 0x7f800000u | (man << 13)) : (sign | ((exp + 112u) << 23) | (man << 13));
  return b.f;
}

/** h2f without branches on the common path: the bits moved into place, rescaled by 2^112 (exact, subnormals too). */
static inline float h2f_fast(const uint8_t *p) {
  uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
  if ((h & 0x7c00u) == 0x7c00u) return h2f(p);  // inf / nan
  bits32 b;
  b.u = ((h & 0x8000u) << 16) | ((h & 0x7fffu) << 13);
  return b.f * 0x1p112f;
}

static void row_f32(const uint8_t *s, int n, float *y) {
  for (int i = 0; i < n; i++) { bits32 b; b.u = (uint32_t)s[4*i] | (uint32_t)s[4*i+1] << 8 | (uint32_t)s[4*i+2] << 16 | (uint32_t)s[4*i+3] << 24; y[i] = b.f; }
}
static void row_f16(const uint8_t *s, int n, float *y) { for (int i = 0; i < n; i++) y[i] = h2f(s + 2 * i); }
static void row_bf16(const uint8_t *s, int n, float *y) {
  for (int i = 0; i < n; i++) { bits32 b; b.u = ((uint32_t)s[2*i] | (uint32_t)s[2*i+1] << 8) << 16; y[i] = b.f; }
}

static void row_q4_0(const uint8_t *s, int n, float *y) {
  for (int b = 0; b < n; b += 32, s += 18, y += 32) {
    float d = h2f(s);
    for (int j = 0; j < 16; j++) { y[j] = (float)((s[2+j] & 15) - 8) * d; y[j+16] = (float)((s[2+j] >> 4) - 8) * d; }
  }
}
static void row_q4_1(const uint8_t *s, int n, float *y) {
  for (int b = 0; b < n; b += 32, s += 20, y += 32) {
    float d = h2f(s), m = h2f(s + 2);
    for (int j = 0; j < 16; j++) { y[j] = (float)(s[4+j] & 15) * d + m; y[j+16] = (float)(s[4+j] >> 4) * d + m; }
  }
}
static void row_q5(const uint8_t *s, int n, float *y, int has_min) {
  int size = has_min ? 24 : 22;
  for (int b = 0; b < n; b += 32, s += size, y += 32) {
    float d = h2f(s), m = has_min ? h2f(s + 2) : 0.0f;
    const uint8_t *hp = s + (has_min ? 4 : 2);
    uint32_t qh = (uint32_t)hp[0] | (uint32_t)hp[1] << 8 | (uint32_t)hp[2] << 16 | (uint32_t)hp[3] << 24;
    const uint8_t *qs = hp + 4;
    for (int j = 0; j < 16; j++) {
      int lo = (qs[j] & 15) | (((qh >> j) & 1) << 4), hi = (qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4);
      if (has_min) { y[j] = (float)lo * d + m; y[j+16] = (float)hi * d + m; }
      else { y[j] = (float)(lo - 16) * d; y[j+16] = (float)(hi - 16) * d; }
    }
  }
}
static void row_q8_0(const uint8_t *s, int n, float *y) {
  for (int b = 0; b < n; b += 32, s += 34, y += 32) {
    float d = h2f(s);
    for (int j = 0; j < 32; j++) y[j] = (float)(int8_t)s[2+j] * d;
  }
}
static inline void scale_min(const uint8_t *q, int j, int *sc, int *m) {
  if (j < 4) { *sc = q[j] & 63; *m = q[j+4] & 63; }
  else { *sc = (q[j+4] & 15) | ((q[j-4] >> 6) << 4); *m = (q[j+4] >> 4) | ((q[j] >> 6) << 4); }
}
static void row_kq(const uint8_t *s, int n, float *y, int five) {
  int size = five ? 176 : 144;
  for (int b = 0; b < n; b += 256, s += size) {
    float d = h2f(s), dmin = h2f(s + 2);
    const uint8_t *qh = s + 16, *qs = s + (five ? 48 : 16);
    for (int sub = 0; sub < 8; sub++) {
      int sc, mn;
      scale_min(s + 4, sub, &sc, &mn);
      float ds = d * (float)sc, dm = dmin * (float)mn;
      const uint8_t *q = qs + (sub >> 1) * 32;
      int shift = (sub & 1) * 4;
      for (int l = 0; l < 32; l++) {
        int v = (q[l] >> shift) & 15;
        if (five) v |= ((qh[l] >> sub) & 1) << 4;
        *y++ = ds * (float)v - dm;
      }
    }
  }
}
static void row_q6_k(const uint8_t *s, int n, float *y) {
  for (int b = 0; b < n; b += 256, s += 210) {
    float d = h2f(s + 208);
    for (int half = 0; half < 2; half++, y += 128) {
      const uint8_t *ql = s + half * 64, *qh = s + 128 + half * 32;
      const int8_t *sc = (const int8_t *)(s + 192 + half * 8);
      for (int l = 0; l < 32; l++) {
        int is = l >> 4, h = qh[l];
        int q1 = ((ql[l] & 15) | ((h & 3) << 4)) - 32, q2 = ((ql[l+32] & 15) | (((h >> 2) & 3) << 4)) - 32;
        int q3 = ((ql[l] >> 4) | (((h >> 4) & 3) << 4)) - 32, q4 = ((ql[l+32] >> 4) | (((h >> 6) & 3) << 4)) - 32;
        y[l] = (d * (float)sc[is]) * (float)q1;
        y[l+32] = (d * (float)sc[is+2]) * (float)q2;
        y[l+64] = (d * (float)sc[is+4]) * (float)q3;
        y[l+96] = (d * (float)sc[is+6]) * (float)q4;
      }
    }
  }
}

/** Dequantize one row of `cols` weights of ggml type `type` into y; 0 when the type is unknown. */
__attribute__((export_name("dequant_row")))
int dequant_row(int type, const uint8_t *s, int cols, float *y) {
  switch (type) {
    case 0: row_f32(s, cols, y); return 1;
    case 1: row_f16(s, cols, y); return 1;
    case 30: row_bf16(s, cols, y); return 1;
    case 2: row_q4_0(s, cols, y); return 1;
    case 3: row_q4_1(s, cols, y); return 1;
    case 6: row_q5(s, cols, y, 0); return 1;
    case 7: row_q5(s, cols, y, 1); return 1;
    case 8: row_q8_0(s, cols, y); return 1;
    case 12: row_kq(s, cols, y, 0); return 1;
    case 13: row_kq(s, cols, y, 1); return 1;
    case 14: row_q6_k(s, cols, y); return 1;
    default: return 0;
  }
}

static inline float hsum(v128_t s) {
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}
#define FMA(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))

// 16 unsigned / signed bytes → four f32x4 in order (the values are small integers: exact).
static inline void widen_u8(v128_t b, v128_t *f) {
  v128_t a = wasm_u16x8_extend_low_u8x16(b), c = wasm_u16x8_extend_high_u8x16(b);
  f[0] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(a));
  f[1] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(a));
  f[2] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(c));
  f[3] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(c));
}
static inline void widen_i8(v128_t b, v128_t *f) {
  v128_t a = wasm_i16x8_extend_low_i8x16(b), c = wasm_i16x8_extend_high_i8x16(b);
  f[0] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(a));
  f[1] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(a));
  f[2] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(c));
  f[3] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(c));
}

// The 32-weight block types as w = d*q + m with q a small integer: Q4_0 (q-8: m = -8d), Q4_1,
// Q5_0 (m = -16d), Q5_1, Q8_0 (signed q, m = 0). A dot is then d*Σq·x + m*Σx, with Σx per block
// computed once per input: half the float work of dequantizing first.
static inline int is_b32(int type) { return type == 2 || type == 3 || type == 6 || type == 7 || type == 8; }
static inline int b32_bytes(int type) { return type == 2 ? 18 : type == 3 ? 20 : type == 6 ? 22 : type == 7 ? 24 : 34; }

/** Byte j of the result: bit j (low half) or bit j+8 (high half) of the 16-bit h, as 0 or 16. */
static inline v128_t bits16(uint32_t h) {
  const uint64_t ones = 0x0101010101010101ull;
  v128_t spread = wasm_u64x2_make((h & 255u) * ones, ((h >> 8) & 255u) * ones);
  v128_t sel = wasm_u64x2_make(0x8040201008040201ull, 0x8040201008040201ull);
  return wasm_v128_and(wasm_i8x16_ne(wasm_v128_and(spread, sel), wasm_i8x16_splat(0)), wasm_i8x16_splat(16));
}

/** One block's integers q (8 × f32x4, weight order), scale d and offset m. */
static inline __attribute__((always_inline)) void b32_block(int type, const uint8_t *s, v128_t *q, float *d, float *m) {
  *d = h2f_fast(s);
  if (type == 8) {
    widen_i8(wasm_v128_load(s + 2), q);
    widen_i8(wasm_v128_load(s + 18), q + 4);
    *m = 0.0f;
    return;
  }
  int off = type == 2 ? 2 : type == 3 ? 4 : type == 6 ? 6 : 8;
  v128_t b = wasm_v128_load(s + off);
  v128_t lo = wasm_v128_and(b, wasm_i8x16_splat(15)), hi = wasm_u8x16_shr(b, 4);
  if (type == 6 || type == 7) {
    const uint8_t *hp = s + off - 4;
    uint32_t qh = (uint32_t)hp[0] | (uint32_t)hp[1] << 8 | (uint32_t)hp[2] << 16 | (uint32_t)hp[3] << 24;
    lo = wasm_v128_or(lo, bits16(qh & 0xffffu));
    hi = wasm_v128_or(hi, bits16(qh >> 16));
  }
  widen_u8(lo, q);
  widen_u8(hi, q + 4);
  *m = type == 3 || type == 7 ? h2f_fast(s + 2) : type == 2 ? -8.0f * *d : type == 6 ? -16.0f * *d : 0.0f;
}

/** Dequantize a block-32 row exactly as the scalar dequantizers round (d*q, then + m). */
static inline __attribute__((always_inline)) void b32_row(int type, const uint8_t *s, int cols, float *y) {
  int size = b32_bytes(type);
  v128_t q[8];
  float d, m;
  for (int k = 0; k < cols; k += 32, s += size, y += 32) {
    b32_block(type, s, q, &d, &m);
    v128_t vd = wasm_f32x4_splat(d);
    if (type == 3 || type == 7) {
      v128_t vm = wasm_f32x4_splat(m);
      for (int i = 0; i < 8; i++) wasm_v128_store(y + 4 * i, wasm_f32x4_add(wasm_f32x4_mul(q[i], vd), vm));
    } else {
      // Q4_0 / Q5_0 round (q - 8) * d: subtract first (exact in float), as the scalar twin.
      v128_t off = wasm_f32x4_splat(type == 2 ? 8.0f : type == 6 ? 16.0f : 0.0f);
      for (int i = 0; i < 8; i++) wasm_v128_store(y + 4 * i, wasm_f32x4_mul(wasm_f32x4_sub(q[i], off), vd));
    }
  }
}

/** Q4_0 / Q4_1 inputs in the order q4_row unpacks a block's nibbles (u16 lanes: byte 2i's low, byte 2i+1's low, then the highs). */
static const uint8_t NIBBLE_ORDER[32] = {0,  2,  4,  6,  8,  10, 12, 14, 1,  3,  5,  7,  9,  11, 13, 15,
                                         16, 18, 20, 22, 24, 26, 28, 30, 17, 19, 21, 23, 25, 27, 29, 31};

/**
 * Decode input of the block-32 matvec: each 32-float block of x as s·(32768·hi + lo) with hi, lo
 * int16 and s a power of two (29 significant bits: finer than float32's 24), so the weights'
 * small integers dot it with i32x4.dot_i16x8_s, exactly, eight products per instruction.
 * Also Σx per block for the m·Σx term. Layout in `at`: hi[cols], lo[cols] (int16), s[nb], xs[nb];
 * with `nibbles`, each block's halves in NIBBLE_ORDER.
 */
static void split_input(const float *x, int cols, void *at, int nibbles) {
  int nb = cols / 32;
  int16_t *hi = (int16_t *)at, *lo = hi + cols;
  float *sc = (float *)(lo + cols), *xs = sc + nb;
  for (int b = 0; b < nb; b++) {
    const float *xb = x + 32 * b;
    float big = 0, sum = 0;
    for (int j = 0; j < 32; j++) {
      float a = xb[j] < 0 ? -xb[j] : xb[j];
      big = a > big ? a : big;
      sum += xb[j];
    }
    xs[b] = sum;
    bits32 m;
    m.f = big;
    int e = (int)((m.u >> 23) & 255u) - 127;  // big < 2^(e+1); subnormal big: e = -127, still an upper bound
    if (big == 0) e = 0;
    // v = x · 2^(28-e) < 2^29, exact in double; its rounding to an integer loses < big·2^-29.
    union { uint64_t u; double d; } up = {(uint64_t)(1023 + 28 - e) << 52}, down = {(uint64_t)(1023 - 28 + e) << 52};
    sc[b] = (float)down.d;
    for (int j = 0; j < 32; j++) {
      int v = (int)__builtin_rint((double)xb[nibbles ? NIBBLE_ORDER[j] : j] * up.d);
      int h = (v + 16384) >> 15;
      hi[32 * b + j] = (int16_t)h;
      lo[32 * b + j] = (int16_t)(v - h * 32768);
    }
  }
}

/** One block's integers as four i16x8 (weight order), its scale d and offset m (w = d·q + m). */
static inline __attribute__((always_inline)) void b32_int(int type, const uint8_t *s, v128_t *q, float *d, float *m) {
  *d = h2f_fast(s);
  if (type == 8) {
    v128_t a = wasm_v128_load(s + 2), b = wasm_v128_load(s + 18);
    q[0] = wasm_i16x8_extend_low_i8x16(a);
    q[1] = wasm_i16x8_extend_high_i8x16(a);
    q[2] = wasm_i16x8_extend_low_i8x16(b);
    q[3] = wasm_i16x8_extend_high_i8x16(b);
    *m = 0.0f;
    return;
  }
  int off = type == 2 ? 2 : type == 3 ? 4 : type == 6 ? 6 : 8;
  v128_t b = wasm_v128_load(s + off);
  v128_t lo = wasm_v128_and(b, wasm_i8x16_splat(15)), hi = wasm_u8x16_shr(b, 4);
  if (type == 6 || type == 7) {
    const uint8_t *hp = s + off - 4;
    uint32_t qh = (uint32_t)hp[0] | (uint32_t)hp[1] << 8 | (uint32_t)hp[2] << 16 | (uint32_t)hp[3] << 24;
    lo = wasm_v128_or(lo, bits16(qh & 0xffffu));
    hi = wasm_v128_or(hi, bits16(qh >> 16));
  }
  if (type == 2 || type == 3) {  // nibbles in u16 lanes, NIBBLE_ORDER (the input is split in it)
    v128_t nib = wasm_i16x8_splat(15);
    q[0] = wasm_v128_and(b, nib);
    q[1] = wasm_v128_and(wasm_u16x8_shr(b, 8), nib);
    q[2] = wasm_v128_and(wasm_u16x8_shr(b, 4), nib);
    q[3] = wasm_u16x8_shr(b, 12);
  } else {
    q[0] = wasm_u16x8_extend_low_u8x16(lo);
    q[1] = wasm_u16x8_extend_high_u8x16(lo);
    q[2] = wasm_u16x8_extend_low_u8x16(hi);
    q[3] = wasm_u16x8_extend_high_u8x16(hi);
  }
  *m = type == 3 || type == 7 ? h2f_fast(s + 2) : type == 2 ? -8.0f * *d : type == 6 ? -16.0f * *d : 0.0f;
}

/** Σ_j q_j·v_j over a block: four i16x8 of q against 32 int16 of v, as an i32x4. */
static inline v128_t idot32(const v128_t *q, const int16_t *v) {
  v128_t a = wasm_i32x4_add(wasm_i32x4_dot_i16x8(q[0], wasm_v128_load(v)), wasm_i32x4_dot_i16x8(q[1], wasm_v128_load(v + 8)));
  v128_t b = wasm_i32x4_add(wasm_i32x4_dot_i16x8(q[2], wasm_v128_load(v + 16)), wasm_i32x4_dot_i16x8(q[3], wasm_v128_load(v + 24)));
  return wasm_i32x4_add(a, b);
}

/** One block of the split input against q: d·s·Σq·(32768·hi + lo) as an f32x4 to sum (vds: d·s in every lane). */
static inline v128_t block_dotv(const v128_t *q, const int16_t *hi, const int16_t *lo, v128_t vds) {
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(idot32(q, hi)), wasm_f32x4_splat(32768.0f)),
                            wasm_f32x4_convert_i32x4(idot32(q, lo)));
  return wasm_f32x4_mul(t, vds);
}
static inline v128_t block_dot(const v128_t *q, const int16_t *hi, const int16_t *lo, float ds) {
  return block_dotv(q, hi, lo, wasm_f32x4_splat(ds));
}

/** Rows r0 .. r0+R of a block-32 matvec in one pass over the split input (its vectors loaded once per block). */
static inline __attribute__((always_inline)) void b32_rows(int type, const uint8_t *w, int row_bytes, int r0, int R, int cols,
                                                          const void *in, float *out) {
  int size = b32_bytes(type), nb = cols / 32;
  const int16_t *hi = (const int16_t *)in, *lo = hi + cols;
  const float *sc = (const float *)(lo + cols), *xs = sc + nb;
  const uint8_t *s[4];
  v128_t acc[4];
  float macc[4];
#pragma clang loop unroll(full)
  for (int k = 0; k < 4; k++) {
    s[k] = w + (r0 + (k < R ? k : 0)) * row_bytes;
    acc[k] = wasm_f32x4_splat(0);
    macc[k] = 0;
  }
  for (int b = 0; b < nb; b++) {
    float sb = sc[b], xb = xs[b];
    const int16_t *h = hi + 32 * b, *l = lo + 32 * b;
#pragma clang loop unroll(full)
    for (int k = 0; k < 4; k++) {
      if (k >= R) break;
      v128_t q[4];
      float d, m;
      b32_int(type, s[k], q, &d, &m);
      s[k] += size;
      acc[k] = wasm_f32x4_add(acc[k], block_dot(q, h, l, d * sb));
      macc[k] += m * xb;
    }
  }
#pragma clang loop unroll(full)
  for (int k = 0; k < 4; k++)
    if (k < R) out[r0 + k] = hsum(acc[k]) + macc[k];
}

/** h2f_fast on four halves (the low 16 bits of each i32 lane); 0 when one is inf / nan (none converted). */
static inline int h2f4(v128_t h, v128_t *f) {
  v128_t exp = wasm_v128_and(h, wasm_i32x4_splat(0x7c00));
  if (wasm_v128_any_true(wasm_i32x4_eq(exp, wasm_i32x4_splat(0x7c00)))) return 0;
  v128_t b = wasm_v128_or(wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x8000)), 16),
                          wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x7fff)), 13));
  *f = wasm_f32x4_mul(b, wasm_f32x4_splat(0x1p112f));
  return 1;
}

static inline uint32_t ld32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/** acc += one block's 16 bytes of nibbles at p (in u16 lanes, NIBBLE_ORDER) against the split input, times vds. */
static inline __attribute__((always_inline)) void q4_row(const uint8_t *p, const int16_t *h, const int16_t *l, v128_t vds, v128_t *acc) {
  v128_t L = wasm_v128_load(p), nib = wasm_i16x8_splat(15), q[4];
  q[0] = wasm_v128_and(L, nib);
  q[1] = wasm_v128_and(wasm_u16x8_shr(L, 8), nib);
  q[2] = wasm_v128_and(wasm_u16x8_shr(L, 4), nib);
  q[3] = wasm_u16x8_shr(L, 12);
  *acc = wasm_f32x4_add(*acc, block_dotv(q, h, l, vds));
}

/** The same for Q8_0: 32 signed bytes at p. */
static inline __attribute__((always_inline)) void q8_row(const uint8_t *p, const int16_t *h, const int16_t *l, v128_t vds, v128_t *acc) {
  v128_t a = wasm_v128_load(p), b = wasm_v128_load(p + 16), q[4];
  q[0] = wasm_i16x8_extend_low_i8x16(a);
  q[1] = wasm_i16x8_extend_high_i8x16(a);
  q[2] = wasm_i16x8_extend_low_i8x16(b);
  q[3] = wasm_i16x8_extend_high_i8x16(b);
  *acc = wasm_f32x4_add(*acc, block_dotv(q, h, l, vds));
}

/**
 * Rows r0 .. r0+4 of a Q4_0 / Q4_1 / Q8_0 matvec (input split with `nibbles`): the four rows' scales and
 * offsets converted together, nibbles unpacked in u16 lanes. The same sums as b32_rows, so the
 * same result bits; 0 (nothing written) when a scale is inf / nan.
 */
static inline __attribute__((always_inline)) int b32_rows4(int type, const uint8_t *w, int row_bytes, int r0, int cols,
                                                         const void *in, float *out) {
  int size = b32_bytes(type), off = type == 3 ? 4 : 2, nb = cols / 32;
  const int16_t *hi = (const int16_t *)in, *lo = hi + cols;
  const float *sc = (const float *)(lo + cols), *xs = sc + nb;
  const uint8_t *s0 = w + r0 * row_bytes, *s1 = s0 + row_bytes, *s2 = s1 + row_bytes, *s3 = s2 + row_bytes;
  v128_t acc[4] = {wasm_f32x4_splat(0), wasm_f32x4_splat(0), wasm_f32x4_splat(0), wasm_f32x4_splat(0)};
  v128_t macc = wasm_f32x4_splat(0);
  for (int b = 0; b < nb; b++, s0 += size, s1 += size, s2 += size, s3 += size) {
    v128_t dm = wasm_i32x4_make((int32_t)ld32(s0), (int32_t)ld32(s1), (int32_t)ld32(s2), (int32_t)ld32(s3)), d4, m4;
    if (!h2f4(wasm_v128_and(dm, wasm_i32x4_splat(0xffff)), &d4)) return 0;
    if (type == 3) {
      if (!h2f4(wasm_u32x4_shr(dm, 16), &m4)) return 0;
    } else if (type == 8) {
      m4 = d4;
    } else {
      m4 = wasm_f32x4_mul(wasm_f32x4_splat(-8.0f), d4);
    }
    v128_t ds = wasm_f32x4_mul(d4, wasm_f32x4_splat(sc[b]));
    if (type != 8) macc = wasm_f32x4_add(macc, wasm_f32x4_mul(m4, wasm_f32x4_splat(xs[b])));
    const int16_t *h = hi + 32 * b, *l = lo + 32 * b;
    if (type == 8) {
      q8_row(s0 + off, h, l, wasm_i32x4_shuffle(ds, ds, 0, 0, 0, 0), &acc[0]);
      q8_row(s1 + off, h, l, wasm_i32x4_shuffle(ds, ds, 1, 1, 1, 1), &acc[1]);
      q8_row(s2 + off, h, l, wasm_i32x4_shuffle(ds, ds, 2, 2, 2, 2), &acc[2]);
      q8_row(s3 + off, h, l, wasm_i32x4_shuffle(ds, ds, 3, 3, 3, 3), &acc[3]);
      continue;
    }
    q4_row(s0 + off, h, l, wasm_i32x4_shuffle(ds, ds, 0, 0, 0, 0), &acc[0]);
    q4_row(s1 + off, h, l, wasm_i32x4_shuffle(ds, ds, 1, 1, 1, 1), &acc[1]);
    q4_row(s2 + off, h, l, wasm_i32x4_shuffle(ds, ds, 2, 2, 2, 2), &acc[2]);
    q4_row(s3 + off, h, l, wasm_i32x4_shuffle(ds, ds, 3, 3, 3, 3), &acc[3]);
  }
  out[r0] = hsum(acc[0]) + wasm_f32x4_extract_lane(macc, 0);
  out[r0 + 1] = hsum(acc[1]) + wasm_f32x4_extract_lane(macc, 1);
  out[r0 + 2] = hsum(acc[2]) + wasm_f32x4_extract_lane(macc, 2);
  out[r0 + 3] = hsum(acc[3]) + wasm_f32x4_extract_lane(macc, 3);
  return 1;
}

/**
 * out[r] = W[r,:] . x for a block-32 type, x split at `in` by split_input: four rows per pass
 * (Q4_0, Q4_1, Q8_0: b32_rows4; the others: b32_rows), the remainder one by one.
 * (Prompt chunks go through rows2_matmul instead: with several inputs its float tiles need fewer
 * loads per product.)
 */
static inline __attribute__((always_inline)) void b32_matvec(int type, const uint8_t *w, int row_bytes, int rows, int cols,
                                                            const void *in, float *out) {
  int r = 0;
  if (type == 2 || type == 3 || type == 8)
    for (; r + 4 <= rows; r += 4)
      if (!b32_rows4(type, w, row_bytes, r, cols, in, out)) break;  // inf / nan scales: the general path
  for (; r + 4 <= rows; r += 4) b32_rows(type, w, row_bytes, r, 4, cols, in, out);
  for (; r < rows; r++) b32_rows(type, w, row_bytes, r, 1, cols, in, out);
}

/** out[r] = W[r,:] . x for float32 rows read in place, four rows per pass over x. */
static void f32_matvec(const float *w, int rows, int cols, const float *x, float *out) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *a = w + r * cols, *b = a + cols, *c = b + cols, *e = c + cols;
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (; i + 4 <= cols; i += 4) {
      v128_t xv = wasm_v128_load(x + i);
      FMA(s0, wasm_v128_load(a + i), xv);
      FMA(s1, wasm_v128_load(b + i), xv);
      FMA(s2, wasm_v128_load(c + i), xv);
      FMA(s3, wasm_v128_load(e + i), xv);
    }
    float t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
    for (; i < cols; i++) { t0 += a[i] * x[i]; t1 += b[i] * x[i]; t2 += c[i] * x[i]; t3 += e[i] * x[i]; }
    out[r] = t0; out[r + 1] = t1; out[r + 2] = t2; out[r + 3] = t3;
  }
  for (; r < rows; r++) {
    const float *a = w + r * cols;
    v128_t s0 = wasm_f32x4_splat(0);
    int i = 0;
    for (; i + 4 <= cols; i += 4) FMA(s0, wasm_v128_load(a + i), wasm_v128_load(x + i));
    float t0 = hsum(s0);
    for (; i < cols; i++) t0 += a[i] * x[i];
    out[r] = t0;
  }
}

/**
 * out[t*rows + r0 + j] = A[j,:] . x[t*cols ..] for two float32 rows A (a, b; b may equal a) and n
 * inputs: tiles of four inputs, so each loaded weight vector feeds eight products.
 */
static void rows2_matmul(const float *a, const float *b, int two, int cols, const float *x, int n, int rows, int r0, float *out) {
  int t = 0;
  for (; t + 4 <= n; t += 4) {
    const float *x0 = x + t * cols, *x1 = x0 + cols, *x2 = x1 + cols, *x3 = x2 + cols;
    v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    int i = 0;
    for (; i + 4 <= cols; i += 4) {
      v128_t wa = wasm_v128_load(a + i), wb = wasm_v128_load(b + i);
      v128_t v0 = wasm_v128_load(x0 + i), v1 = wasm_v128_load(x1 + i), v2 = wasm_v128_load(x2 + i), v3 = wasm_v128_load(x3 + i);
      FMA(a0, wa, v0); FMA(a1, wa, v1); FMA(a2, wa, v2); FMA(a3, wa, v3);
      FMA(b0, wb, v0); FMA(b1, wb, v1); FMA(b2, wb, v2); FMA(b3, wb, v3);
    }
    float *o = out + t * rows + r0;
    float s[8] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3), hsum(b0), hsum(b1), hsum(b2), hsum(b3)};
    for (; i < cols; i++) {
      s[0] += a[i] * x0[i]; s[1] += a[i] * x1[i]; s[2] += a[i] * x2[i]; s[3] += a[i] * x3[i];
      s[4] += b[i] * x0[i]; s[5] += b[i] * x1[i]; s[6] += b[i] * x2[i]; s[7] += b[i] * x3[i];
    }
    for (int j = 0; j < 4; j++) o[j * rows] = s[j];
    if (two) for (int j = 0; j < 4; j++) o[j * rows + 1] = s[4 + j];
  }
  for (; t < n; t++) {
    const float *xt = x + t * cols;
    v128_t a0 = wasm_f32x4_splat(0), b0 = a0;
    int i = 0;
    for (; i + 4 <= cols; i += 4) {
      v128_t v = wasm_v128_load(xt + i);
      FMA(a0, wasm_v128_load(a + i), v);
      FMA(b0, wasm_v128_load(b + i), v);
    }
    float sa = hsum(a0), sb = hsum(b0);
    for (; i < cols; i++) { sa += a[i] * xt[i]; sb += b[i] * xt[i]; }
    out[t * rows + r0] = sa;
    if (two) out[t * rows + r0 + 1] = sb;
  }
}

/** Row r of W as float32: dequantized into buf, or (F32) read in place. */
static inline const float *row_of(int type, const uint8_t *w, int row_bytes, int r, int cols, float *buf) {
  const uint8_t *s = w + r * row_bytes;
  if (type == 0) return (const float *)s;
  switch (type) {
    case 2: b32_row(2, s, cols, buf); break;
    case 3: b32_row(3, s, cols, buf); break;
    case 6: b32_row(6, s, cols, buf); break;
    case 7: b32_row(7, s, cols, buf); break;
    case 8: b32_row(8, s, cols, buf); break;
    default: dequant_row(type, s, cols, buf);
  }
  return buf;
}

/**
 * out[t*rows + r] = W[r,:] . x[t*cols ..] for t < n, W in ggml type `type`, float32 sums.
 * One input (decode): block-32 types split it into int16 halves (split_input) and dot in
 * integers; F32 rows are read in place. Otherwise two rows at a time are dequantized into
 * `scratch` (as the scalar twin rounds) and multiplied by four inputs at a time. scratch holds 8*cols bytes. Returns 0 for an unknown type.
 */
__attribute__((export_name("matmul")))
int matmul(int type, const uint8_t *w, int row_bytes, int rows, int cols, const float *x, int n, float *out, float *scratch) {
  if (!is_b32(type) && type != 0 && type != 1 && type != 30 && type != 12 && type != 13 && type != 14) return 0;
  if (is_b32(type) && n == 1) {
    split_input(x, cols, scratch, type == 2 || type == 3);
    switch (type) {
      case 2: b32_matvec(2, w, row_bytes, rows, cols, scratch, out); break;
      case 3: b32_matvec(3, w, row_bytes, rows, cols, scratch, out); break;
      case 6: b32_matvec(6, w, row_bytes, rows, cols, scratch, out); break;
      case 7: b32_matvec(7, w, row_bytes, rows, cols, scratch, out); break;
      default: b32_matvec(8, w, row_bytes, rows, cols, scratch, out);
    }
    return 1;
  }
  if (n == 1 && type == 0) {
    f32_matvec((const float *)w, rows, cols, x, out);
    return 1;
  }
  for (int r = 0; r < rows; r += 2) {
    int two = r + 1 < rows;
    const float *a = row_of(type, w, row_bytes, r, cols, scratch);
    const float *b = two ? row_of(type, w, row_bytes, r + 1, cols, scratch + cols) : a;
    rows2_matmul(a, b, two, cols, x, n, rows, r, out);
  }
  return 1;
}

/** 1/n! for n = 10 .. 0, the Taylor coefficients after 1/11! (Horner order). */
static const double EXP_INV[] = {1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0,
                                 1.0 / 24.0,      1.0 / 6.0,      0.5,            1.0,          1.0};

/** e^r for x = k*ln2 + r, |r| <= ln2/2 (k written to *k): degree 11, remainder r^12/12! < 7e-15 relative. */
static inline double exp_reduced(double x, double *k) {
  *k = __builtin_rint(x * 1.4426950408889634);
  double r = (x - *k * 0.6931471803691238) - *k * 1.9082149292705877e-10;
  double p = 1.0 / 39916800.0;
  for (int i = 0; i < 11; i++) p = p * r + EXP_INV[i];
  return p;
}

/** e^x for x <= 0 in double, within a few ulps of Math.exp (exp_reduced, then the 2^k scale). */
static double exp_neg(double x) {
  if (x < -745.2) return 0.0;
  double k;
  double p = exp_reduced(x, &k);
  union { uint64_t u; double d; } s;
  int e = (int)k;
  if (e < -1000) {  // subnormal results: scale in two steps
    s.u = (uint64_t)(e + 1023 + 200) << 52;
    return p * s.d * 0x1p-200;
  }
  s.u = (uint64_t)(e + 1023) << 52;
  return p * s.d;
}

/** exp_neg on two doubles (x < -708, where e^x rounds to 0 in float32 and vanishes in a sum from 1, gives e^-708). */
static inline v128_t exp_neg2(v128_t x) {
  x = wasm_f64x2_pmax(x, wasm_f64x2_splat(-708.0));
  v128_t k = wasm_f64x2_nearest(wasm_f64x2_mul(x, wasm_f64x2_splat(1.4426950408889634)));
  v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, wasm_f64x2_splat(0.6931471803691238))),
                            wasm_f64x2_mul(k, wasm_f64x2_splat(1.9082149292705877e-10)));
  v128_t p = wasm_f64x2_splat(1.0 / 39916800.0);
#pragma clang loop unroll(full)
  for (int i = 0; i < 11; i++) p = wasm_f64x2_add(wasm_f64x2_mul(p, r), wasm_f64x2_splat(EXP_INV[i]));
  // k + 1.5·2^52 holds k in its low bits; (those + 1023) << 52 is 2^k as a double.
  v128_t t = wasm_f64x2_add(k, wasm_f64x2_splat(6755399441055744.0));
  return wasm_f64x2_mul(p, wasm_i64x2_shl(wasm_i64x2_add(t, wasm_i64x2_splat(1023)), 52));
}

/**
 * In-place softmax of v[0 .. n) as ops.ts's softmax: float32 in and out, e^(v - max) and their sum
 * in double (the sum in two lanes; exp_neg2 for pairs, exp_neg for an odd last one).
 */
static void softmax_f32(float *v, int n) {
  float max = v[0];
  for (int j = 1; j < n; j++) max = v[j] > max ? v[j] : max;
  v128_t vmax = wasm_f64x2_splat((double)max), sum2 = wasm_f64x2_splat(0);
  int j = 0;
  for (; j + 2 <= n; j += 2) {
    v128_t e = exp_neg2(wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(v + j)), vmax));
    wasm_v128_store64_lane(v + j, wasm_f32x4_demote_f64x2_zero(e), 0);
    sum2 = wasm_f64x2_add(sum2, e);
  }
  double sum = wasm_f64x2_extract_lane(sum2, 0) + wasm_f64x2_extract_lane(sum2, 1);
  if (j < n) {
    double e = exp_neg((double)v[j] - (double)max);
    v[j] = (float)e;
    sum += e;
  }
  v128_t vs = wasm_f64x2_splat(sum);
  for (j = 0; j + 2 <= n; j += 2) {
    v128_t q = wasm_f64x2_div(wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(v + j)), vs);
    wasm_v128_store64_lane(v + j, wasm_f32x4_demote_f64x2_zero(q), 0);
  }
  if (j < n) v[j] = (float)((double)v[j] / sum);
}

/** Σ a[i]·b[i] over hd floats (hd a multiple of 4), four keys b0..b3 at once: out[0..3]. */
static inline void dot4(const float *a, const float *b0, const float *b1, const float *b2, const float *b3, int hd, float *out) {
  v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (int i = 0; i < hd; i += 4) {
    v128_t q = wasm_v128_load(a + i);
    FMA(s0, q, wasm_v128_load(b0 + i));
    FMA(s1, q, wasm_v128_load(b1 + i));
    FMA(s2, q, wasm_v128_load(b2 + i));
    FMA(s3, q, wasm_v128_load(b3 + i));
  }
  // Each accumulator's lanes summed as (l0 + l1) + (l2 + l3), four keys at once.
  v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(s0, s1, 0, 4, 2, 6), wasm_i32x4_shuffle(s0, s1, 1, 5, 3, 7));
  v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(s2, s3, 0, 4, 2, 6), wasm_i32x4_shuffle(s2, s3, 1, 5, 3, 7));  // [s0:01, s1:01, s0:23, s1:23], [s2:01, s3:01, s2:23, s3:23]
  wasm_v128_store(out, wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7)));
}

/**
 * Causal attention of n queries q[t] (heads·hd floats each, at positions pos0 + t, their keys and
 * values already cached) into out[t]: K, V rows of kvDim floats per position, `group` query heads per
 * KV head, scores scaled by `scale`, a layer with `window` > 0 sees only its last `window` positions.
 * The softmax rounds as ops.ts's (float32 scores, double exp and sum). scores holds pos0 + n floats.
 */
__attribute__((export_name("attend")))
void attend(const float *q, int n, int pos0, const float *K, const float *V, int kvDim, int heads, int group, int hd,
            float scale, int window, float *scores, float *out) {
  for (int t = 0; t < n; t++) {
    int pos = pos0 + t, first = window > 0 && pos - window + 1 > 0 ? pos - window + 1 : 0, len = pos + 1 - first;
    for (int h = 0; h < heads; h++) {
      const float *qh = q + (t * heads + h) * hd;
      const float *k = K + first * kvDim + (h / group) * hd, *v = V + first * kvDim + (h / group) * hd;
      int j = 0;
      for (; j + 4 <= len; j += 4) {
        float s[4];
        dot4(qh, k + j * kvDim, k + (j + 1) * kvDim, k + (j + 2) * kvDim, k + (j + 3) * kvDim, hd, s);
        for (int i = 0; i < 4; i++) scores[j + i] = s[i] * scale;
      }
      for (; j < len; j++) {
        float s[4];
        dot4(qh, k + j * kvDim, k + j * kvDim, k + j * kvDim, k + j * kvDim, hd, s);
        scores[j] = s[0] * scale;
      }
      softmax_f32(scores, len);
      float *o = out + (t * heads + h) * hd;
      int c = 0;
      for (; c + 16 <= hd; c += 16) {  // four accumulators in registers
        v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
        for (j = 0; j < len; j++) {
          v128_t p = wasm_f32x4_splat(scores[j]);
          const float *vj = v + j * kvDim + c;
          FMA(a0, p, wasm_v128_load(vj));
          FMA(a1, p, wasm_v128_load(vj + 4));
          FMA(a2, p, wasm_v128_load(vj + 8));
          FMA(a3, p, wasm_v128_load(vj + 12));
        }
        wasm_v128_store(o + c, a0);
        wasm_v128_store(o + c + 4, a1);
        wasm_v128_store(o + c + 8, a2);
        wasm_v128_store(o + c + 12, a3);
      }
      for (; c < hd; c += 4) {
        v128_t a0 = wasm_f32x4_splat(0);
        for (j = 0; j < len; j++) FMA(a0, wasm_f32x4_splat(scores[j]), wasm_v128_load(v + j * kvDim + c));
        wasm_v128_store(o + c, a0);
      }
    }
  }
}

/** e^x in double for any x (exp_neg's reduction; +inf past the double range). */
static double exp_any(double x) {
  if (x > 709.78) return __builtin_inf();
  if (x <= 0) return exp_neg(x);
  double k;
  double p = exp_reduced(x, &k);
  union { uint64_t u; double d; } s = {(uint64_t)((int)k + 1023) << 52};
  return p * s.d;
}

/** g[i] = silu(g[i]) · u[i] for i < n, in double as ops.ts's silu and the decoder's product, rounded to float32. */
__attribute__((export_name("silu_mul")))
void silu_mul(float *g, const float *u, int n) {
  for (int i = 0; i < n; i++) {
    double x = g[i];
    g[i] = (float)(x / (1.0 + exp_any(-x)) * (double)u[i]);
  }
}
