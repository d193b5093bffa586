import { GgufError } from "./gguf-error.js";
import type { GgufValue } from "./header.js";

/** Typed reads of GGUF metadata keys; a missing or mistyped required key is a GgufError naming it. */
export class Metadata {
  constructor(
    private readonly kv: ReadonlyMap<string, GgufValue>,
    readonly file: string,
  ) {}

  has(key: string): boolean {
    return this.kv.has(key);
  }

  number(key: string): number;
  number(key: string, fallback: number | undefined): number | undefined;
  number(key: string, ...fallback: [number | undefined] | []): number | undefined {
    const v = this.kv.get(key);
    if (v === undefined && fallback.length) return fallback[0];
    if (typeof v !== "number") return this.bad(key, "a number", v);
    return v;
  }

  string(key: string): string;
  string(key: string, fallback: string | undefined): string | undefined;
  string(key: string, ...fallback: [string | undefined] | []): string | undefined {
    const v = this.kv.get(key);
    if (v === undefined && fallback.length) return fallback[0];
    if (typeof v !== "string") return this.bad(key, "a string", v);
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.kv.get(key);
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") return this.bad(key, "a boolean", v);
    return v;
  }

  strings(key: string): string[] {
    const v = this.kv.get(key);
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) return this.bad(key, "an array of strings", v);
    return v as string[];
  }

  numbers(key: string): number[] | undefined {
    const v = this.kv.get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== "number")) return this.bad(key, "an array of numbers", v);
    return v as number[];
  }

  private bad(key: string, want: string, got: GgufValue | undefined): never {
    const what = got === undefined ? "missing" : `${Array.isArray(got) ? "an array" : typeof got}`;
    throw new GgufError(`${this.file}: metadata ${key} should be ${want} but is ${what}`, this.file);
  }
}
