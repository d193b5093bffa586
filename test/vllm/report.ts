/**
 * Every difference of a corpus at once, without the test runner's per-failure restarts: one page,
 * one engine, each case printed with what differs. For working on the differences; the suite is
 * what CI runs. Needs the page served: `npx vite --config test/vllm/vite.config.ts --port P`.
 * Usage: tsx test/vllm/report.ts [tiny|real] [http://127.0.0.1:P] [case name filter]
 */
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { call, openaiClient, type Outcome } from "./call.js";
import { diffOutcomes } from "./compare.js";
import { base, bodyOf, realCorpus, seenOf, tinyCorpus } from "./corpus.js";
import { realServer, tinyServer, waitReady } from "./servers.js";
import type {} from "./page.js";

const [which = "tiny", pageUrl = `http://127.0.0.1:${process.env.TEST_PORT ?? 5174}`, filter = ""] = process.argv.slice(2);
const server = which === "real" ? realServer : tinyServer;
const corpus = (which === "real" ? realCorpus : tinyCorpus).filter((c) => c.name.includes(filter));

await waitReady(server);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage();
await page.goto(`${pageUrl}/test/vllm/page.html`);
await page.waitForSelector("body[data-ready=true]", { state: "attached" });
await page.evaluate((r) => window.vllmPage.start(r), server.record);
const vllm = openaiClient(`${server.url}/v1`, server.apiKey);
const seen = seenOf(await call(vllm, { ...base, model: server.record.model_id, return_token_ids: true }));
let same = 0;
for (const c of corpus) {
  const body = bodyOf(c, seen, server.record.model_id);
  const theirs = await call(vllm, body);
  const ours = (await page.evaluate((b) => window.vllmPage.send(b), body)) as Outcome;
  const diffs = c.kept ? [] : diffOutcomes(theirs, ours);
  if (!diffs.length) same++;
  console.log(`${diffs.length ? "DIFF" : "same"} ${c.name}${c.kept ? " (kept)" : ""}${c.open ? ` (open: ${c.open})` : ""}`);
  for (const d of diffs)
    console.log(`    ${d.path}: vLLM ${JSON.stringify(d.vllm)} / ours ${JSON.stringify(d.ours)}`.slice(0, 600));
}
console.log(`${same} of ${corpus.length} cases the same`);
await browser.close();
