/// <reference lib="webworker" />
/** A worker of a page's own, as the README shows: the engine with two logits processors registered. */
import { exposeEngine, type LogitsProcessorFactory } from "../../../src/worker/expose.js";

/** args: [ids]: those tokens can never be picked. */
const banIds: LogitsProcessorFactory = ({ args }) => {
  const ids = args[0];
  if (!Array.isArray(ids) || !ids.every(Number.isInteger)) throw new TypeError("args[0] must be a list of token ids");
  return (logits) => {
    for (const id of ids as number[]) logits[id] = -Infinity;
  };
};

/** kwargs {token_id}: only that token can be picked, from the step after `after` output tokens (default 0). */
const force: LogitsProcessorFactory = ({ kwargs }) => {
  const id = kwargs.token_id;
  const after = kwargs.after ?? 0;
  if (!Number.isInteger(id) || !Number.isInteger(after)) throw new TypeError("kwargs.token_id and kwargs.after must be integers");
  return (logits, { outputTokens }) => {
    if (outputTokens.length < (after as number)) return;
    const keep = logits[id as number]!;
    logits.fill(-Infinity);
    logits[id as number] = keep;
  };
};

exposeEngine({ logitsProcessors: { ban_ids: banIds, force } });
