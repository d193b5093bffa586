import { createNodeEngine } from "/work/wt-node/test/unit/support/node-engine.ts";
const e = await createNodeEngine("/work/wt-node/public/models/tiny-random-qwen3");
const messages = [{ role: "user", content: "Tell me a story." }];
const c = await e.create({ messages, temperature: 0, max_tokens: 12, return_token_ids: true });
console.log(JSON.stringify(c.choices[0]));
const s = await e.create({ messages, temperature: 1, seed: 11, max_tokens: 16, return_token_ids: true, ignore_eos: true });
console.log(JSON.stringify(s.choices[0]));
const j = await e.create({ messages, seed: 1, max_tokens: 60, response_format: { type: "json_schema", json_schema: { name: "p", schema: { type: "object", properties: { name: { type: "string", maxLength: 8 }, age: { type: "integer" } }, required: ["name", "age"], additionalProperties: false } } } });
console.log(JSON.stringify(j.choices[0]));
