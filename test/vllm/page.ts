/** The engine side of the differential suite: an engine in this page, reached through engine.fetch. */
import { createEngine, type ChatEngine, type ModelRecord } from "../../src/index.js";
import { call, openaiClient, type Body } from "./call.js";

let engine: ChatEngine | undefined;

const page = {
  async start(record: ModelRecord) {
    engine = await createEngine({ model: record });
  },
  send(body: Body) {
    if (!engine) throw new Error("call start() first");
    return call(openaiClient("http://engine.invalid/v1", "unused", engine.fetch), body);
  },
};

declare global {
  interface Window {
    vllmPage: typeof page;
  }
}
window.vllmPage = page;
document.body.dataset.ready = "true";
