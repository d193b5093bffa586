/** Type-level check (tsc): our written-out copy of web-llm's ModelIntegrity stays assignable both ways. */
import type { ModelRecord as WebLLMRecord } from "@mlc-ai/web-llm";
import type { ModelIntegrity } from "../../src/runners/webllm/record.js";

type Theirs = NonNullable<WebLLMRecord["integrity"]>;
export const ours: (x: Theirs) => ModelIntegrity = (x) => x;
export const theirs: (x: ModelIntegrity) => Theirs = (x) => x;
