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
  // Min-heap on (value, -id): the root is the weakest kept entry. Scanning in id order, a later
  // id never displaces an equal value, so ties keep the lower id.
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (size === k) {
      if (v <= heapVals[0]!) continue; // the common case: one comparison
      siftDown(heapVals, heapIds, size, v, i);
    } else if (!(skipNegInf && v === -Infinity)) {
      let j = size++;
      while (j > 0) {
        const p = (j - 1) >> 1;
        const pv = heapVals[p]!;
        if (pv < v || (pv === v && heapIds[p]! > i)) break;
        heapVals[j] = pv;
        heapIds[j] = heapIds[p]!;
        j = p;
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

/** Replace the heap root with (v, id) and restore the heap. */
function siftDown(vals: Float64Array, ids: Int32Array, size: number, v: number, id: number): void {
  let j = 0;
  for (;;) {
    const l = 2 * j + 1;
    if (l >= size) break;
    const r = l + 1;
    let c = l;
    if (r < size && (vals[r]! < vals[l]! || (vals[r] === vals[l] && ids[r]! > ids[l]!))) c = r;
    const cv = vals[c]!;
    if (v < cv || (v === cv && id > ids[c]!)) break;
    vals[j] = cv;
    ids[j] = ids[c]!;
    j = c;
  }
  vals[j] = v;
  ids[j] = id;
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
