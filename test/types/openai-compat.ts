/**
 * Type-level test (checked by `tsc --noEmit`, no runtime): our request, response and chunk types
 * are assignable to and from the official `openai` package's types for the fields both have.
 */
import type OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "../../src/protocol/index.js";
import type { ChatMessage } from "../../src/protocol/messages.js";

type Shared<A, B> = Pick<A, keyof A & keyof B>;
type Assert<T extends true> = T;
type Assignable<From, To> = [From] extends [To] ? true : false;

// Responses: ours must be usable where OpenAI's is expected. finish_reason "abort" (vLLM) is ours alone.
// vLLM sends annotations / audio / function_call as null, which OpenAI's types do not allow: ours alone too.
type VllmNulls = "annotations" | "audio" | "function_call";
type OurCompletion = Omit<ChatCompletion, "choices"> & {
  choices: (Omit<ChatCompletion["choices"][number], "finish_reason" | "message"> & {
    message: Omit<ChatCompletion["choices"][number]["message"], VllmNulls>;
    finish_reason: Exclude<ChatCompletion["choices"][number]["finish_reason"], "abort">;
  })[];
};
export type CompletionToOpenAI = Assert<
  Assignable<Shared<OurCompletion, OpenAI.ChatCompletion>, Shared<OpenAI.ChatCompletion, OurCompletion>>
>;
type OurChoiceMessage = Omit<ChatCompletion["choices"][number]["message"], VllmNulls>;
export type MessageToOpenAI = Assert<
  Assignable<Shared<OurChoiceMessage, OpenAI.ChatCompletionMessage>, Shared<OpenAI.ChatCompletionMessage, OurChoiceMessage>>
>;
// A reply goes back into the conversation as it is (messages.push(choice.message)).
export type ReplyIntoOurMessages = Assert<Assignable<ChatCompletion["choices"][number]["message"], ChatMessage>>;
export type LogprobsToOpenAI = Assert<
  Assignable<NonNullable<ChatCompletion["choices"][number]["logprobs"]>, OpenAI.ChatCompletion.Choice.Logprobs>
>;
export type UsageToOpenAI = Assert<Assignable<ChatCompletion["usage"], OpenAI.CompletionUsage>>;
type OurDelta = ChatCompletionChunk["choices"][number]["delta"];
export type DeltaToOpenAI = Assert<
  Assignable<Shared<OurDelta, OpenAI.ChatCompletionChunk.Choice.Delta>, Shared<OpenAI.ChatCompletionChunk.Choice.Delta, OurDelta>>
>;
export type ChunkUsageToOpenAI = Assert<Assignable<ChatCompletionChunk["usage"], OpenAI.ChatCompletionChunk["usage"]>>;

// And back: an OpenAI response parses into our shapes for the fields we read.
export type UsageFromOpenAI = Assert<
  Assignable<
    Pick<OpenAI.CompletionUsage, "prompt_tokens" | "completion_tokens" | "total_tokens">,
    Pick<ChatCompletion["usage"], "prompt_tokens" | "completion_tokens" | "total_tokens">
  >
>;
export type ToolCallFromOpenAI = Assert<
  Assignable<OpenAI.ChatCompletionMessageFunctionToolCall, NonNullable<OurChoiceMessage["tool_calls"]>[number]>
>;

// Requests: what an OpenAI client sends for these fields is accepted by our request type, and ours by theirs.
type Fields =
  | "temperature"
  | "top_p"
  | "n"
  | "stop"
  | "max_tokens"
  | "max_completion_tokens"
  | "seed"
  | "logprobs"
  | "top_logprobs"
  | "logit_bias"
  | "presence_penalty"
  | "frequency_penalty"
  | "stream"
  | "user"
  | "parallel_tool_calls";
export type RequestFromOpenAI = Assert<
  Assignable<Pick<OpenAI.ChatCompletionCreateParams, Fields>, Pick<ChatCompletionRequest, Fields>>
>;
export type RequestToOpenAI = Assert<
  Assignable<Pick<ChatCompletionRequest, Fields>, Pick<OpenAI.ChatCompletionCreateParams, Fields>>
>;
export type ToolsFromOpenAI = Assert<
  Assignable<OpenAI.ChatCompletionFunctionTool[], NonNullable<ChatCompletionRequest["tools"]>>
>;
export type ToolsToOpenAI = Assert<Assignable<NonNullable<ChatCompletionRequest["tools"]>, OpenAI.ChatCompletionTool[]>>;
export type UserMessageFromOpenAI = Assert<
  Assignable<
    { role: "user"; content: string | OpenAI.ChatCompletionContentPartText[] },
    ChatCompletionRequest["messages"][number]
  >
>;
export type MessagesToOpenAI = Assert<
  Assignable<
    Exclude<ChatCompletionRequest["messages"][number], { role: "user" } | { role: "assistant" }>,
    OpenAI.ChatCompletionMessageParam
  >
>;
export type ResponseFormatFromOpenAI = Assert<
  Assignable<
    OpenAI.ResponseFormatJSONSchema | OpenAI.ResponseFormatJSONObject | OpenAI.ResponseFormatText,
    NonNullable<ChatCompletionRequest["response_format"]>
  >
>;
