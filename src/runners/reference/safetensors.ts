/** Safetensors: an 8-byte little-endian header length, a JSON header, then raw tensor bytes. */

type DType = "F32" | "F16" | "BF16";

const DTYPE_BYTES: Record<DType, number> = { F32: 4, F16: 2, BF16: 2 };

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte offsets into `bytes`, already checked against the buffer. */
  begin: number;
  end: number;
}

export class SafetensorsError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly tensor?: string,
  ) {
    super(message);
    this.name = "SafetensorsError";
  }
}

/** A parsed file: tensors are decoded to F32 on demand. */
export class SafetensorsFile {
  private constructor(
    readonly file: string,
    private readonly bytes: Uint8Array,
    readonly tensors: ReadonlyMap<string, TensorEntry>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {}

  static parse(bytes: Uint8Array, file: string): SafetensorsFile {
    const fail = (msg: string, tensor?: string): never => {
      throw new SafetensorsError(`${file}: ${msg}`, file, tensor);
    };
    if (bytes.byteLength < 8) fail(`file is ${bytes.byteLength} bytes, too short for a safetensors header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLen = Number(view.getBigUint64(0, true));
    if (headerLen > bytes.byteLength - 8) {
      fail(
        `header claims ${headerLen} bytes but the file has ${bytes.byteLength - 8} after the length field (truncated download?)`,
      );
    }
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    } catch (e) {
      fail(`header is not valid JSON (${(e as Error).message})`);
    }
    if (typeof header !== "object" || header === null || Array.isArray(header)) fail("header is not a JSON object");
    const dataStart = 8 + headerLen;
    const dataLen = bytes.byteLength - dataStart;
    const tensors = new Map<string, TensorEntry>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      if (name === "__metadata__") {
        metadata = raw as Record<string, string>;
        continue;
      }
      const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const dtype = info.dtype;
      if (dtype !== "F32" && dtype !== "F16" && dtype !== "BF16") {
        fail(`tensor "${name}" has dtype ${String(dtype)}; supported: F32, F16, BF16`, name);
      }
      const shape = info.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`, name);
      }
      const offsets = info.data_offsets;
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
        fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`, name);
      }
      const [b, e] = offsets as [number, number];
      const numel = (shape as number[]).reduce((a, d) => a * d, 1);
      const expected = numel * DTYPE_BYTES[dtype as DType];
      if (e - b !== expected) {
        fail(`tensor "${name}" spans ${e - b} bytes but ${dtype} ${JSON.stringify(shape)} needs ${expected}`, name);
      }
      if (e > dataLen) {
        fail(
          `tensor "${name}" ends at byte ${e} of the data but the file has only ${dataLen} data bytes (truncated download?)`,
          name,
        );
      }
      tensors.set(name, { name, dtype: dtype as DType, shape: shape as number[], begin: dataStart + b, end: dataStart + e });
    }
    return new SafetensorsFile(file, bytes, tensors, metadata);
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** Decode a tensor to F32, checking its shape when one is given. */
  get(name: string, shape?: readonly number[]): Float32Array {
    const t = this.tensors.get(name);
    if (!t) throw new SafetensorsError(`${this.file}: missing tensor "${name}"`, this.file, name);
    if (shape && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
      throw new SafetensorsError(
        `${this.file}: tensor "${name}" has shape ${JSON.stringify(t.shape)}, config.json implies ${JSON.stringify(shape)}`,
        this.file,
        name,
      );
    }
    return decode(this.bytes, t);
  }
}

function decode(bytes: Uint8Array, t: TensorEntry): Float32Array {
  const n = (t.end - t.begin) / DTYPE_BYTES[t.dtype];
  const copy = bytes.slice(t.begin, t.end); // aligned copy
  if (t.dtype === "F32") return new Float32Array(copy.buffer, 0, n);
  const src = new Uint16Array(copy.buffer, 0, n);
  const out = new Float32Array(n);
  if (t.dtype === "BF16") {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) u32[i] = src[i]! << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = f16ToF32(src[i]!);
  }
  return out;
}

function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export interface TensorToWrite {
  dtype: DType;
  shape: number[];
  /** Raw little-endian bytes of the tensor. */
  data: Uint8Array;
}

/** Write a safetensors file: keys sorted, header padded with spaces to 8 bytes, as the reference writer does. */
export function encodeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.byteLength % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const name of names) {
    out.set(tensors[name]!.data, at);
    at += tensors[name]!.data.byteLength;
  }
  return out;
}
