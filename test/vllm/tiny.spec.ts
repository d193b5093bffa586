/** The full corpus on tiny-random-qwen3-hd32 (vLLM started with Qwen3's tool and reasoning parsers). */
import { tinyCorpus } from "./corpus.js";
import { differentialSuite } from "./differential.js";
import { tinyServer } from "./servers.js";

differentialSuite("vLLM vs engine: tiny-random-qwen3-hd32", tinyServer, tinyCorpus);
