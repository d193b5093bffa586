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

static inline float dot(const float *a, const float *b, int n) {
  v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
    s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_v128_load(a + i + 8), wasm_v128_load(b + i + 8)));
    s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_v128_load(a + i + 12), wasm_v128_load(b + i + 12)));
  }
  for (; i + 4 <= n; i += 4) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float r = hsum(wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3)));
  for (; i < n; i++) r += a[i] * b[i];
  return r;
}

// 16 unsigned / signed bytes → four f32x4 in order (signed converts: one instruction on x86, and the values fit).
static inline void widen_u8(v128_t b, v128_t f[4]) {
  v128_t a = wasm_u16x8_extend_low_u8x16(b), c = wasm_u16x8_extend_high_u8x16(b);
  f[0] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(a));
  f[1] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(a));
  f[2] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(c));
  f[3] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(c));
}
static inline void widen_i8(v128_t b, v128_t f[4]) {
  v128_t a = wasm_i16x8_extend_low_i8x16(b), c = wasm_i16x8_extend_high_i8x16(b);
  f[0] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(a));
  f[1] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(a));
  f[2] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(c));
  f[3] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(c));
}

/**
 * One 32-weight block of Q4_0 / Q4_1 / Q8_0 as eight f32x4, rounded as the scalar dequantizers
 * round (q*d, then + m), so SIMD and scalar weights are equal bit for bit. 0: not such a type.
 */
static inline int block32(int type, const uint8_t *s, v128_t w[8]) {
  v128_t q[8];
  if (type == 8) {
    widen_i8(wasm_v128_load(s + 2), q);
    widen_i8(wasm_v128_load(s + 18), q + 4);
  } else if (type == 2 || type == 3) {
    v128_t b = wasm_v128_load(s + (type == 3 ? 4 : 2));
    v128_t lo = wasm_v128_and(b, wasm_i8x16_splat(15)), hi = wasm_u8x16_shr(b, 4);
    if (type == 2) {
      widen_i8(wasm_i8x16_sub(lo, wasm_i8x16_splat(8)), q);
      widen_i8(wasm_i8x16_sub(hi, wasm_i8x16_splat(8)), q + 4);
    } else {
      widen_u8(lo, q);
      widen_u8(hi, q + 4);
    }
  } else {
    return 0;
  }
  v128_t d = wasm_f32x4_splat(h2f(s));
  if (type == 3) {
    v128_t m = wasm_f32x4_splat(h2f(s + 2));
    for (int i = 0; i < 8; i++) w[i] = wasm_f32x4_add(wasm_f32x4_mul(q[i], d), m);
  } else {
    for (int i = 0; i < 8; i++) w[i] = wasm_f32x4_mul(q[i], d);
  }
  return 1;
}

static const int BLOCK_BYTES_32[9] = {0, 0, 18, 20, 0, 0, 0, 0, 34};

/** W[r,:] . x for one row of a 32-weight block type, dequantizing in registers. */
static inline float dot_block32(int type, const uint8_t *s, const float *x, int cols) {
  int size = BLOCK_BYTES_32[type];
  v128_t acc0 = wasm_f32x4_splat(0), acc1 = acc0;
  v128_t w[8];
  for (int b = 0; b < cols; b += 32, s += size, x += 32) {
    block32(type, s, w);
    for (int i = 0; i < 8; i += 2) {
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(w[i], wasm_v128_load(x + 4 * i)));
      acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(w[i + 1], wasm_v128_load(x + 4 * i + 4)));
    }
  }
  return hsum(wasm_f32x4_add(acc0, acc1));
}

static inline int fast32(int type) { return type == 2 || type == 3 || type == 8; }

/**
 * out[t*rows + r] = W[r,:] . x[t*cols ..] for t < n. One input: rows of Q4_0/Q4_1/Q8_0 are
 * dequantized in registers, f32 rows read in place. More: each row is dequantized once into
 * `row` (cols floats of scratch) and used for all n inputs, so a prompt chunk is one pass over W.
 */
__attribute__((export_name("matmul")))
int matmul(int type, const uint8_t *w, int row_bytes, int rows, int cols, const float *x, int n, float *out, float *row) {
  for (int r = 0; r < rows; r++) {
    const uint8_t *s = w + r * row_bytes;
    if (n == 1 && type == 0) {
      out[r] = dot((const float *)s, x, cols);
      continue;
    }
    if (n == 1 && fast32(type)) {
      out[r] = dot_block32(type, s, x, cols);
      continue;
    }
    if (fast32(type)) {
      v128_t b[8];
      for (int k = 0; k < cols; k += 32, s += BLOCK_BYTES_32[type]) {
        block32(type, s, b);
        for (int i = 0; i < 8; i++) wasm_v128_store(row + k + 4 * i, b[i]);
      }
    } else if (!dequant_row(type, s, cols, row)) {
      return 0;
    }
    for (int t = 0; t < n; t++) out[t * rows + r] = dot(row, x + t * cols, cols);
  }
  return 1;
}
