import { createNodeEngine } from "/work/wt-node/test/unit/support/node-engine.ts";
import { WHOLE_REQUESTS } from "/work/wt-node/test/fixtures/whole-requests.ts";
const e = await createNodeEngine("/work/wt-node/public/models/tiny-random-qwen3", { modelId: "tiny-random-qwen3" });
for (const [name, body] of Object.entries(WHOLE_REQUESTS)) {
  const c = await e.create(body);
  console.log(name, JSON.stringify(c.choices[0]), JSON.stringify(c.usage));
}
