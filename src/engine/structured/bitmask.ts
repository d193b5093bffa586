/**
 * Apply xgrammar's next-token bitmask (bit i of word i>>5 set: token i allowed) to logits in place.
 * Words that are all-allowed or all-forbidden, the common cases, cost one comparison.
 */
export function applyBitmask(logits: Float32Array, mask: Int32Array): void {
  const n = logits.length;
  for (let w = 0; w < mask.length; w++) {
    const bits = mask[w]!;
    if (bits === -1) continue;
    const base = w << 5;
    if (bits === 0) {
      logits.fill(-Infinity, base, Math.min(base + 32, n));
      continue;
    }
    const end = Math.min(32, n - base);
    for (let b = 0; b < end; b++) if (((bits >>> b) & 1) === 0) logits[base + b] = -Infinity;
  }
}
