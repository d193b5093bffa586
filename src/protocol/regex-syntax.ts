/**
 * A syntax check of structured-output regexes before they reach xgrammar: its wasm aborts on a bad
 * regex (printing to the console) without a message the engine can read, while vLLM answers with
 * the Rust regex-syntax error. This says what is wrong in the same words and layout.
 */

/** What is wrong with a regex and where (0-based index into its characters). */
export interface RegexSyntaxError {
  at: number;
  error: string;
}

const CLASS_ESCAPES = new Set([..."dDwWsS"]);

/** The first syntax error of `pattern`, or null when it parses. */
export function regexSyntaxError(pattern: string): RegexSyntaxError | null {
  try {
    new RegexScanner([...pattern]).scan();
    return null;
  } catch (e) {
    if (e instanceof ScanError) return { at: e.at, error: e.message };
    throw e;
  }
}

/** vLLM's wording: the pattern, a caret under the error, and what it is. */
export function describeRegexError(pattern: string, e: RegexSyntaxError): string {
  const caret = " ".repeat([...pattern].slice(0, e.at).join("").length) + "^";
  return `regex parse error:\n    ${pattern}\n    ${caret}\nerror: ${e.error}`;
}

class ScanError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

class RegexScanner {
  private i = 0;
  constructor(private readonly c: string[]) {}

  scan(): void {
    this.alternation(null);
    if (this.i < this.c.length) throw new ScanError(this.i, "unopened group");
  }

  /** Terms up to the end or the `)` closing the group opened at `open`. */
  private alternation(open: number | null): void {
    // What was read last: nothing a quantifier may follow, an expression, a quantifier, a lazy quantifier.
    let last: "none" | "expr" | "quant" | "lazy" = "none";
    while (this.i < this.c.length) {
      const ch = this.c[this.i]!;
      if (ch === ")") {
        if (open === null) throw new ScanError(this.i, "unopened group");
        this.i++;
        return;
      }
      if (ch === "?" && last === "quant") {
        this.i++; // lazy: *? +? ?? {n}?
        last = "lazy";
      } else if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
        if (last !== "expr") throw new ScanError(this.i, "repetition operator missing expression");
        if (ch === "{") this.counted();
        else this.i++;
        last = "quant";
      } else {
        if (ch === "(") this.group();
        else if (ch === "[") this.charClass();
        else if (ch === "\\") this.escape(false);
        else this.i++;
        last = ch === "|" || ch === "^" || ch === "$" ? "none" : "expr";
      }
    }
    if (open !== null) throw new ScanError(open, "unclosed group");
  }

  private group(): void {
    const open = this.i++;
    if (this.c[this.i] === "?") {
      const next = this.c.slice(this.i + 1, this.i + 3).join("");
      if (next.startsWith("=") || next.startsWith("!") || next === "<=" || next === "<!")
        throw new ScanError(open, "look-around, including look-ahead and look-behind, is not supported");
      if (next.startsWith(":")) this.i += 2;
      else if (next.startsWith("<") || next.startsWith("P")) {
        const close = this.c.indexOf(">", this.i);
        if (close < 0) throw new ScanError(this.i, "unclosed capture group name");
        this.i = close + 1;
      } else throw new ScanError(this.i, "unrecognized flag");
    }
    this.alternation(open);
  }

  /** `{n}`, `{n,}` or `{n,m}` with n <= m; `i` at the `{`. */
  private counted(): void {
    const open = this.i;
    const close = this.c.indexOf("}", open);
    if (close < 0) throw new ScanError(open, "unclosed counted repetition");
    const m = /^(\d+)(,(\d*))?$/.exec(this.c.slice(open + 1, close).join(""));
    if (!m) throw new ScanError(open + 1, "repetition quantifier expects a valid decimal");
    if (m[3] && Number(m[3]) < Number(m[1]))
      throw new ScanError(open, "invalid repetition count range, the start must be <= the end");
    this.i = close + 1;
  }

  /** A bracketed class; `i` at the `[`. */
  private charClass(): void {
    const open = this.i++;
    if (this.c[this.i] === "^") this.i++;
    let first = true;
    while (this.i < this.c.length && (this.c[this.i] !== "]" || first)) {
      if (this.c[this.i] === "]") {
        this.i++; // a leading ] is a literal
        first = false;
        continue;
      }
      first = false;
      const start = this.i;
      const lo = this.classAtom();
      if (this.c[this.i] === "-" && this.i + 1 < this.c.length && this.c[this.i + 1] !== "]") {
        this.i++;
        const hi = this.classAtom();
        if (lo !== null && hi !== null && hi < lo) throw new ScanError(start, "invalid character class range");
      }
    }
    if (this.i >= this.c.length) throw new ScanError(open, "unclosed character class");
    this.i++;
  }

  /** One character of a class (its code point), or null for a class escape such as \d. */
  private classAtom(): number | null {
    if (this.c[this.i] === "\\") return this.escape(true);
    return this.c[this.i++]!.codePointAt(0)!;
  }

  /** An escape; `i` at the backslash. Returns the code point it stands for, or null for a class. */
  private escape(inClass: boolean): number | null {
    const at = this.i;
    const e = this.c[this.i + 1];
    if (e === undefined) throw new ScanError(at, "incomplete escape sequence, reached end of pattern prematurely");
    this.i += 2;
    if (CLASS_ESCAPES.has(e)) return null;
    if (/[1-9]/.test(e) || e === "k") throw new ScanError(at, "backreferences are not supported");
    if (!inClass && (e === "b" || e === "B")) throw new ScanError(at, "word boundaries (\\b, \\B) are not supported");
    if (e === "x") return this.hex(at, 2);
    if (e === "u") return this.c[this.i] === "{" ? this.bracedHex(at) : this.hex(at, 4);
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, "0": 0 };
    return simple[e] ?? e.codePointAt(0)!;
  }

  private hex(at: number, digits: number): number {
    const h = this.c.slice(this.i, this.i + digits).join("");
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(h)) throw new ScanError(at, "invalid hexadecimal digit");
    this.i += digits;
    return parseInt(h, 16);
  }

  private bracedHex(at: number): number {
    const close = this.c.indexOf("}", this.i);
    const h = close < 0 ? "" : this.c.slice(this.i + 1, close).join("");
    if (!/^[0-9a-fA-F]{1,6}$/.test(h) || parseInt(h, 16) > 0x10ffff) throw new ScanError(at, "invalid hexadecimal digit");
    this.i = close + 1;
    return parseInt(h, 16);
  }
}
