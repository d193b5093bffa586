/**
 * vLLM's repetition_detection: the output ends once its tail is one pattern of min..max tokens
 * repeated at least `minCount` times in a row.
 */
export function endsInRepetition(
  tokens: readonly number[],
  p: { maxPatternSize: number; minPatternSize: number; minCount: number },
): boolean {
  const minSize = Math.max(1, p.minPatternSize);
  if (p.maxPatternSize <= 0 || p.minCount < 2 || minSize > p.maxPatternSize) return false;
  const n = tokens.length;
  for (let size = minSize; size <= p.maxPatternSize; size++) {
    if (size * p.minCount > n) return false;
    let repeated = true;
    for (let k = 1; k <= size && repeated; k++) {
      const t = tokens[n - k];
      for (let m = 1; m < p.minCount && repeated; m++) repeated = tokens[n - (size * m + k)] === t;
    }
    if (repeated) return true;
  }
  return false;
}
