import { GgufError } from "./gguf-error.js";
import { SUPPORTED, SUPPORTED_NAMES, typeName } from "./ggml-types.js";
import { decodeStrings, decodeUtf8 } from "./utf8.js";

/** A metadata value: scalars as numbers (64-bit ints too: sizes fit), strings, or arrays of them. */
export type GgufValue = number | boolean | string | GgufValue[];

export interface TensorInfo {
  name: string;
  /** ggml order: dims[0] is the row length (columns). */
  dims: number[];
  type: number;
  /** Byte offset from the start of the file (data section start + the tensor's own offset). */
  begin: number;
  byteLength: number;
}

export interface GgufHeader {
  version: number;
  metadata: ReadonlyMap<string, GgufValue>;
  tensors: ReadonlyMap<string, TensorInfo>;
  /** Where the tensor data section starts; the file must be at least `end` bytes. */
  dataStart: number;
  end: number;
}

const MAGIC = 0x46554747; // "GGUF" little-endian

/** Byte size of each scalar GGUF value type (0: not fixed-size: string 8, array 9, or unknown). */
const SIZES = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];

function readScalar(view: DataView, type: number, p: number): number | boolean {
  switch (type) {
    case 0:
      return view.getUint8(p);
    case 1:
      return view.getInt8(p);
    case 2:
      return view.getUint16(p, true);
    case 3:
      return view.getInt16(p, true);
    case 4:
      return view.getUint32(p, true);
    case 5:
      return view.getInt32(p, true);
    case 6:
      return view.getFloat32(p, true);
    case 7:
      return view.getUint8(p) !== 0;
    case 10:
      return Number(view.getBigUint64(p, true));
    case 11:
      return Number(view.getBigInt64(p, true));
    default:
      return view.getFloat64(p, true);
  }
}

/** Thrown while parsing when the bytes so far end inside the header: read more and try again. */
export class NeedMoreBytes extends Error {}

/**
 * Parse the header, metadata and tensor infos from the first bytes of a GGUF file. Throws
 * NeedMoreBytes when `bytes` ends before the header does, and a GgufError for a bad file or a
 * tensor type the runner cannot read, so a download can stop as soon as the header is in.
 */
export function parseHeader(bytes: Uint8Array, file: string): GgufHeader {
  return walk(bytes, file, true) as GgufHeader;
}

/**
 * How many bytes the header and tensor infos take, walking them without decoding a string (a
 * vocabulary's ~100k strings are most of a parse): a download calls this as bytes come in and
 * parses once they are all there. Throws as parseHeader does while walking.
 */
export function headerLength(bytes: Uint8Array, file: string): number {
  return walk(bytes, file, false) as number;
}

function walk(bytes: Uint8Array, file: string, decode: boolean): GgufHeader | number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ignoreBOM: a leading U+FEFF is part of the string (gguf-py and llama.cpp keep it).
  const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.byteLength) throw new NeedMoreBytes();
  };
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const u64 = () => {
    need(8);
    at += 8;
    // Two 32-bit halves: no BigInt per string length (a vocabulary has ~100k of them).
    const hi = view.getUint32(at - 4, true);
    if (hi >= 1 << 21) fail(`a 64-bit field at byte ${at - 8} holds ${view.getBigUint64(at - 8, true)}, too large to be real`);
    return hi * 2 ** 32 + view.getUint32(at - 8, true);
  };
  const fail = (msg: string, tensor?: string): never => {
    throw new GgufError(`${file}: ${msg}`, file, tensor);
  };
  const str = () => {
    const n = u64();
    if (n > 1 << 26) fail(`a string at byte ${at - 8} claims ${n} bytes: the file is corrupt`);
    need(n);
    at += n;
    return decode ? decodeUtf8(bytes, at - n, at, utf8) : "";
  };
  const scalar = (type: number): GgufValue => {
    if (type === 8) return str();
    const size = SIZES[type] ?? 0;
    if (size <= 0) return fail(`metadata value type ${type} is not a GGUF type`);
    need(size);
    at += size;
    return readScalar(view, type, at - size);
  };
  const value = (type: number): GgufValue => {
    if (type !== 9) return scalar(type);
    const elem = u32();
    const n = u64();
    if (n > bytes.byteLength) need(n); // each element takes at least one byte
    if (elem === 8 && decode) {
      const run = decodeStrings(bytes, view, at, n, utf8);
      if (run) return ((at = run.end), run.strings);
    }
    const size = SIZES[elem] ?? 0;
    if (!decode && size > 0) return (need(n * size), (at += n * size), []);
    if (!decode && elem === 8) {
      for (let i = 0; i < n; i++) str();
      return [];
    }
    const out: GgufValue[] = new Array<GgufValue>(n);
    if (size > 0) {
      // Fixed-size elements (a vocabulary's token types): one bounds check, no per-element calls.
      need(n * size);
      for (let i = 0; i < n; i++, at += size) out[i] = readScalar(view, elem, at);
    } else for (let i = 0; i < n; i++) out[i] = value(elem);
    return out;
  };

  if (u32() !== MAGIC) fail('not a GGUF file (the first 4 bytes are not "GGUF")');
  const version = u32();
  if (version !== 2 && version !== 3) fail(`GGUF version ${version} is not supported (2 and 3 are)`);
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    metadata.set(key, value(u32()));
  }
  const alignment = metadata.get("general.alignment") ?? 32;
  if (typeof alignment !== "number" || alignment <= 0 || alignment % 8 !== 0)
    fail(`general.alignment ${String(alignment)} is not a positive multiple of 8`);
  const raw: { name: string; dims: number[]; type: number; offset: number }[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const nd = u32();
    if (nd > 4) fail(`tensor ${name} has ${nd} dimensions (GGUF allows at most 4)`, name);
    const dims: number[] = [];
    for (let d = 0; d < nd; d++) dims.push(u64());
    const type = u32();
    raw.push({ name, dims, type, offset: u64() });
  }
  if (!decode) return at;
  const align = alignment as number;
  const dataStart = Math.ceil(at / align) * align;
  const tensors = new Map<string, TensorInfo>();
  let end = dataStart;
  for (const t of raw) {
    const bt = SUPPORTED.get(t.type);
    if (!bt) {
      fail(
        `tensor ${t.name} is ${typeName(t.type)}, which the reference runner does not read (it reads ${SUPPORTED_NAMES}); ` +
          `pick a file quantized to one of those, e.g. Q4_K_M or Q8_0`,
        t.name,
      );
    }
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.dims[0]! % bt!.blockSize !== 0)
      fail(`tensor ${t.name}: row length ${t.dims[0]} is not a multiple of ${bt!.name}'s block of ${bt!.blockSize}`, t.name);
    const byteLength = (count / bt!.blockSize) * bt!.blockBytes;
    const begin = dataStart + t.offset;
    tensors.set(t.name, { name: t.name, dims: t.dims, type: t.type, begin, byteLength });
    end = Math.max(end, begin + byteLength);
  }
  return { version, metadata, tensors, dataStart, end };
}
