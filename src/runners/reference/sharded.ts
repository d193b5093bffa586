/** A sharded checkpoint: `model.safetensors.index.json` maps each tensor to one of several safetensors files. */
import { SafetensorsError, SafetensorsFile } from "./safetensors.js";
import type { TensorSource } from "./weights.js";

export const INDEX_FILE = "model.safetensors.index.json";

export interface ShardIndex {
  /** Tensor name -> shard file name. */
  weightMap: ReadonlyMap<string, string>;
  /** Shard file names in the order they first appear. */
  shards: string[];
}

/** Check an index object; `file` names it in errors. Shard names must be plain file names next to the index. */
export function parseShardIndex(json: unknown, file = INDEX_FILE): ShardIndex {
  const fail = (msg: string, tensor?: string): never => {
    throw new SafetensorsError(`${file}: ${msg}`, file, tensor);
  };
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== "object" || map === null || Array.isArray(map)) return fail(`needs a "weight_map" object`);
  const weightMap = new Map<string, string>();
  const shards: string[] = [];
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== "string" || !/^[\w.-]+\.safetensors$/.test(shard) || shard.startsWith(".")) {
      fail(`tensor "${tensor}" maps to ${JSON.stringify(shard)}, not a .safetensors file name beside the index`, tensor);
    }
    weightMap.set(tensor, shard as string);
    if (!shards.includes(shard as string)) shards.push(shard as string);
  }
  if (!shards.length) fail("weight_map is empty");
  return { weightMap, shards };
}

export class ShardedSafetensors implements TensorSource {
  private constructor(
    readonly indexFile: string,
    private readonly index: ShardIndex,
    private readonly files: ReadonlyMap<string, SafetensorsFile>,
  ) {}

  /**
   * Parse every shard and check the index against them: each tensor the index lists must be in the
   * shard it names. `prefix` is put before shard names in errors (the folder URL when loaded from one).
   */
  static parse(
    index: ShardIndex,
    shards: Readonly<Record<string, Uint8Array>>,
    indexFile = INDEX_FILE,
    prefix = "",
  ): ShardedSafetensors {
    const files = new Map<string, SafetensorsFile>();
    for (const name of index.shards) {
      const bytes = shards[name];
      if (!bytes) {
        const held = [...index.weightMap].filter(([, s]) => s === name).map(([t]) => t);
        const tensor = held[0]!;
        throw new SafetensorsError(
          `${indexFile}: shard "${name}" (${held.length} tensors, "${tensor}" first) was not given`,
          prefix + name,
          tensor,
        );
      }
      files.set(name, SafetensorsFile.parse(bytes, prefix + name));
    }
    for (const [tensor, shard] of index.weightMap) {
      if (!files.get(shard)!.has(tensor)) {
        throw new SafetensorsError(
          `${prefix + shard}: missing tensor "${tensor}" (${indexFile} says it is in this shard)`,
          prefix + shard,
          tensor,
        );
      }
    }
    return new ShardedSafetensors(indexFile, index, files);
  }

  get(name: string, shape?: readonly number[]): Float32Array {
    const shard = this.index.weightMap.get(name);
    if (!shard) {
      throw new SafetensorsError(`${this.indexFile}: missing tensor "${name}" (no shard is listed for it)`, this.indexFile, name);
    }
    return this.files.get(shard)!.get(name, shape);
  }
}
