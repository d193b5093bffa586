/** ggml tensor types the reference runner reads, with their block geometry (ggml.h / gguf docs). */

export interface BlockType {
  name: string;
  /** Weights per block. */
  blockSize: number;
  /** Bytes per block. */
  blockBytes: number;
}

/** Supported types by ggml type id. */
export const SUPPORTED: ReadonlyMap<number, BlockType> = new Map([
  [0, { name: "F32", blockSize: 1, blockBytes: 4 }],
  [1, { name: "F16", blockSize: 1, blockBytes: 2 }],
  [30, { name: "BF16", blockSize: 1, blockBytes: 2 }],
  [2, { name: "Q4_0", blockSize: 32, blockBytes: 18 }],
  [3, { name: "Q4_1", blockSize: 32, blockBytes: 20 }],
  [6, { name: "Q5_0", blockSize: 32, blockBytes: 22 }],
  [7, { name: "Q5_1", blockSize: 32, blockBytes: 24 }],
  [8, { name: "Q8_0", blockSize: 32, blockBytes: 34 }],
  [12, { name: "Q4_K", blockSize: 256, blockBytes: 144 }],
  [13, { name: "Q5_K", blockSize: 256, blockBytes: 176 }],
  [14, { name: "Q6_K", blockSize: 256, blockBytes: 210 }],
]);

/** Names of the types ggml has that the runner does not read, so an error can say which one a file uses. */
const OTHER_NAMES: Record<number, string> = {
  9: "Q8_1",
  10: "Q2_K",
  11: "Q3_K",
  15: "Q8_K",
  16: "IQ2_XXS",
  17: "IQ2_XS",
  18: "IQ3_XXS",
  19: "IQ1_S",
  20: "IQ4_NL",
  21: "IQ3_S",
  22: "IQ2_S",
  23: "IQ4_XS",
  24: "I8",
  25: "I16",
  26: "I32",
  27: "I64",
  28: "F64",
  29: "IQ1_M",
  34: "TQ1_0",
  35: "TQ2_0",
  39: "MXFP4",
};

export function typeName(id: number): string {
  return SUPPORTED.get(id)?.name ?? OTHER_NAMES[id] ?? `unknown type ${id}`;
}

export const SUPPORTED_NAMES = [...SUPPORTED.values()].map((t) => t.name).join(", ");
