/**
 * The k largest values of a Float32Array without sorting all of it: a min-heap of size k, one pass.
 * Returns ids ordered by value descending, ties by lower id first.
 */
export function topKIndices(values: Float32Array, k: number, skipNegInf = true): Int32Array {
  k = Math.min(k, values.length);
  if (k <= 0) return new Int32Array(0);
  const heapIds = new Int32Array(k);
  const heapVals = new Float64Array(k);
  let size = 0;
  // "a ranks below b": smaller value, or equal value and larger id.
  const below = (va: number, ia: number, vb: number, ib: number) => va < vb || (va === vb && ia > ib);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (skipNegInf && v === -Infinity) continue;
    if (size < k) {
      let j = size++;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!below(v, i, heapVals[p]!, heapIds[p]!)) break;
        heapVals[j] = heapVals[p]!;
        heapIds[j] = heapIds[p]!;
        j = p;
      }
      heapVals[j] = v;
      heapIds[j] = i;
    } else if (below(heapVals[0]!, heapIds[0]!, v, i)) {
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && below(heapVals[r]!, heapIds[r]!, heapVals[l]!, heapIds[l]!) ? r : l;
        if (!below(heapVals[c]!, heapIds[c]!, v, i)) break;
        heapVals[j] = heapVals[c]!;
        heapIds[j] = heapIds[c]!;
        j = c;
      }
      heapVals[j] = v;
      heapIds[j] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) =>
    heapVals[a] !== heapVals[b] ? heapVals[b]! - heapVals[a]! : heapIds[a]! - heapIds[b]!,
  );
  return Int32Array.from(order, (j) => heapIds[j]!);
}

/** Index of the largest value; ties go to the lowest id. */
export function argmax(values: Float32Array): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > bestV) {
      bestV = values[i]!;
      best = i;
    }
  }
  return best;
}

/** log(sum(exp(values))), stable. */
export function logSumExp(values: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}
