import { z } from "zod";

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const responseFormatSchema = z.strictObject({
  type: z.enum(["text", "json_object", "json_schema", "structural_tag"]),
  json_schema: z
    .strictObject({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 characters of a-z, A-Z, 0-9, _ and -"),
      description: z.string().optional(),
      schema: jsonSchemaObject.optional(),
      strict: z.boolean().nullish(),
    })
    .optional(),
  /** vLLM's structural_tag response format: the tag object, sent as-is to the grammar compiler. */
  format: z.record(z.string(), z.unknown()).optional(),
  /** vLLM's older structural_tag response format: a schema between begin and end, started by a trigger. */
  structures: z.array(z.strictObject({ begin: z.string(), schema: jsonSchemaObject, end: z.string() })).optional(),
  triggers: z.array(z.string()).optional(),
});

export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const structuredOutputsSchema = z.strictObject({
  json: z.union([z.string(), jsonSchemaObject]).nullish(),
  regex: z.string().nullish(),
  choice: z.array(z.string()).min(1).nullish(),
  grammar: z.string().nullish(),
  json_object: z.boolean().nullish(),
  structural_tag: z.string().nullish(),
  disable_fallback: z.boolean().default(false),
  disable_any_whitespace: z.boolean().default(false),
  disable_additional_properties: z.boolean().default(false),
  whitespace_pattern: z.string().nullish(),
  _backend: z.string().nullish(),
  _backend_was_auto: z.boolean().default(false),
});

/** The one constraint a request may carry, whatever field it came from. */
export type StructuredConstraint =
  | { kind: "json_schema"; schema: Record<string, unknown>; strict: boolean }
  | { kind: "json_object" }
  | { kind: "regex"; pattern: string }
  | { kind: "choice"; choices: string[] }
  | { kind: "grammar"; ebnf: string }
  /** xgrammar's structural tag: the object under its "format". */
  | { kind: "structural_tag"; format: Record<string, unknown> }
  /** vLLM's older structural tag: schemas between begin and end strings, started by triggers. */
  | {
      kind: "legacy_structural_tag";
      structures: { begin: string; schema: Record<string, unknown>; end: string }[];
      triggers: string[];
    };

export interface StructuredOptions {
  disableAnyWhitespace: boolean;
  disableAdditionalProperties: boolean;
}
