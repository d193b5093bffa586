import { KERNELS_WASM_BASE64 } from "./kernels-wasm.generated.js";

interface KernelExports {
  __heap_base: WebAssembly.Global;
  matmul(
    type: number,
    w: number,
    rowBytes: number,
    rows: number,
    cols: number,
    x: number,
    n: number,
    out: number,
    row: number,
  ): number;
  attend(
    q: number,
    n: number,
    pos0: number,
    k: number,
    v: number,
    kvDim: number,
    heads: number,
    group: number,
    headDim: number,
    scale: number,
    window: number,
    scores: number,
    out: number,
  ): void;
  silu_mul(g: number, u: number, n: number): void;
}

const PAGE = 65536;

/**
 * The SIMD kernels (kernels.c) and the linear memory they read: weights are copied in once at
 * load (bump-allocated, never freed: a worker holds one model), activations go through scratch.
 */
export class WasmKernels {
  private top: number;
  /** Released blocks [address, bytes], reused first-fit. */
  private readonly released: [number, number][] = [];
  private scratchPtr = 0;
  private scratchBytes = 0;

  private constructor(
    readonly memory: WebAssembly.Memory,
    private readonly fns: KernelExports,
  ) {
    this.top = align(fns.__heap_base.value as number);
  }

  /** `wasm`: another build of kernels.c (the bench compares builds side by side). */
  static async create(wasm?: Uint8Array<ArrayBuffer>): Promise<WasmKernels> {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536 });
    const bytes = wasm ?? Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    return new WasmKernels(memory, instance.exports as unknown as KernelExports);
  }

  /** Reserve `bytes` (16-aligned), growing the memory; returns the address. */
  alloc(bytes: number): number {
    const size = align(bytes);
    const i = this.released.findIndex(([, b]) => b >= size);
    if (i >= 0) {
      const [at, b] = this.released[i]!;
      if (b === size) this.released.splice(i, 1);
      else this.released[i] = [at + size, b - size];
      return at;
    }
    const at = this.top;
    this.top = align(at + bytes);
    const need = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) this.memory.grow(need);
    return at;
  }

  /** Give back a block from `alloc` (the top of the heap is lowered when it is the last one). */
  free(at: number, bytes: number): void {
    if (at + align(bytes) === this.top) this.top = at;
    else this.released.push([at, align(bytes)]);
  }

  /** A view of `length` floats at `at` (fresh: the memory may have grown since the last). */
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  /** Attention of n queries over a cached layer (kernels.c's attend; addresses in this memory). */
  attend(...args: Parameters<KernelExports["attend"]>): void {
    this.fns.attend(...args);
  }

  /** gate[i] = silu(gate[i]) · up[i] for i < n (as ops.ts's silu, in double). */
  siluMul(gate: Float32Array, up: Float32Array, n: number): void {
    const base = this.scratch(8 * n);
    this.f32(base, n).set(gate.subarray(0, n));
    this.f32(base + 4 * n, n).set(up.subarray(0, n));
    this.fns.silu_mul(base, base + 4 * n, n);
    gate.set(this.f32(base, n));
  }

  /** Copy bytes in (bytes already in this memory stay put); returns their address. */
  store(bytes: Uint8Array): number {
    if (bytes.buffer === this.memory.buffer) return bytes.byteOffset; // a GGUF read straight into this memory
    const at = this.alloc(bytes.byteLength);
    new Uint8Array(this.memory.buffer, at, bytes.byteLength).set(bytes);
    return at;
  }

  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, length);
  }

  /**
   * out[t*rows + r] = W[r,:] . x[t*cols ..] for n inputs, W at `w` in ggml type `type`.
   * x holds n*cols floats; out gets n*rows at outOffset.
   */
  matmul(
    type: number,
    w: number,
    rowBytes: number,
    rows: number,
    cols: number,
    x: Float32Array,
    n: number,
    out: Float32Array,
    outOffset: number,
  ): void {
    const xBytes = n * cols * 4;
    const outBytes = n * rows * 4;
    // The kernel's own scratch: two dequantized rows, or the input split into int16 halves.
    const base = this.scratch(xBytes + outBytes + 8 * cols);
    const buf = this.memory.buffer;
    new Float32Array(buf, base, n * cols).set(x.subarray(0, n * cols));
    if (!this.fns.matmul(type, w, rowBytes, rows, cols, base, n, base + xBytes, base + xBytes + outBytes)) {
      throw new Error(`the wasm kernels have no dequantizer for ggml type ${type}`);
    }
    out.set(new Float32Array(this.memory.buffer, base + xBytes, n * rows), outOffset);
  }

  private scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.free(this.scratchPtr, this.scratchBytes);
      this.scratchBytes = align(Math.max(bytes, this.scratchBytes * 2));
      this.scratchPtr = this.alloc(this.scratchBytes);
    }
    return this.scratchPtr;
  }
}

function align(n: number): number {
  return Math.ceil(n / 16) * 16; // not a bit mask: addresses reach 4 GiB
}

let shared: Promise<WasmKernels> | undefined;
/** One kernel instance per worker (or Node process). */
export function wasmKernels(): Promise<WasmKernels> {
  shared ??= WasmKernels.create();
  return shared;
}
