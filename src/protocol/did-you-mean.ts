/**
 * "Did you mean" for a misspelled name (a request field, a model id): the closest known name, case
 * ignored, within an edit distance that grows with the name's length (3, or a quarter of a long id).
 */
export function closestName(
  word: string,
  known: Iterable<string>,
  maxDistance = Math.max(3, Math.floor(word.length / 4)),
): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = maxDistance + 1;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase(), bestD);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** ` Did you mean "x"?` for a message's end, or "" when nothing is close. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const best = closestName(word, known);
  return best ? ` Did you mean "${best}"?` : "";
}

/** Levenshtein distance; anything at or past `cap` is reported as `cap`. */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return Math.min(prev[b.length]!, cap);
}
