import { z } from "zod";

const textPart = z.strictObject({ type: z.literal("text"), text: z.string() });
/** Non-text parts are understood, so they can be refused by name when the model lacks the modality. */
const mediaPart = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("image_url"),
    image_url: z.strictObject({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }),
  }),
  z.strictObject({ type: z.literal("input_audio"), input_audio: z.strictObject({ data: z.string(), format: z.string() }) }),
  z.strictObject({ type: z.literal("audio_url"), audio_url: z.strictObject({ url: z.string() }) }),
  z.strictObject({ type: z.literal("video_url"), video_url: z.strictObject({ url: z.string() }) }),
  z.strictObject({ type: z.literal("file"), file: z.looseObject({}) }),
]);
const refusalPart = z.strictObject({ type: z.literal("refusal"), refusal: z.string() });

const textContent = z.union([z.string(), z.array(textPart)]);
const userContent = z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, ...mediaPart.options]))]);

const toolCallSchema = z.strictObject({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

const name = z.string().optional();

export const messageSchema = z.discriminatedUnion("role", [
  z.strictObject({ role: z.literal("system"), content: textContent, name }),
  z.strictObject({ role: z.literal("developer"), content: textContent, name }),
  z.strictObject({ role: z.literal("user"), content: userContent, name }),
  z.strictObject({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, refusalPart]))]).nullish(),
    name,
    tool_calls: z.array(toolCallSchema).optional(),
    reasoning_content: z.string().nullish(),
    reasoning: z.string().nullish(),
    refusal: z.string().nullish(),
    // A response message sent back as history carries these (null from this engine and vLLM); they do not reach the template.
    annotations: z.unknown().optional(),
    audio: z.unknown().optional(),
    function_call: z.unknown().optional(),
  }),
  z.strictObject({ role: z.literal("tool"), content: textContent, tool_call_id: z.string().min(1) }),
]);

export type ChatMessage = z.infer<typeof messageSchema>;
export type ToolCall = z.infer<typeof toolCallSchema>;
