/**
 * Index just past the JSON object or array that opens at `from` (after whitespace), or -1 when it
 * is not closed before `limit`. Only brackets and strings are tracked: JSON.parse judges the rest.
 */
export function jsonValueEnd(text: string, from: number, limit = text.length): number {
  let i = from;
  while (i < limit && /\s/.test(text[i]!)) i++;
  if (text[i] !== "{" && text[i] !== "[") return -1;
  let depth = 0;
  let inString = false;
  for (; i < limit; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Length of the longest end of `text` that is a proper start of `marker` (text to hold back while streaming). */
export function partialSuffix(text: string, marker: string): number {
  for (let k = Math.min(marker.length - 1, text.length); k > 0; k--) if (text.endsWith(marker.slice(0, k))) return k;
  return 0;
}

export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The JSON object or array opening at `from`, read up to `limit` without the whitespace between its
 * tokens (strings kept as written), and the index past it (-1: not closed yet). Reading more text
 * only ever extends the result, so it can stream.
 */
export function compactJson(text: string, from: number, limit: number): { json: string; end: number } {
  let json = "";
  let depth = 0;
  let inString = false;
  for (let i = from; i < limit; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === "\\" && i + 1 < limit) json += ch + text[++i];
      else if (ch !== "\\") json += ch;
      if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    json += ch;
    if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if ((ch === "}" || ch === "]") && --depth === 0) return { json, end: i + 1 };
  }
  return { json, end: -1 };
}
