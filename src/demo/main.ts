/** The demo app: model picker, streaming chat with logprobs and tools, settings, offline readiness. */
import { registerSW } from "virtual:pwa-register";
import { createEngine, TINY_MODEL_ID, type ChatEngine, type ChatMessage } from "../index.js";
import { requestBody, runTurn } from "./chat.js";
import { gpuInfo, prebuiltChoices, tinyChoice, type ModelChoice } from "./models.js";
import { readSettings } from "./settings.js";
import { Transcript, tokenTooltip } from "./transcript.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const transcript = new Transcript($("transcript"));
const history: ChatMessage[] = [];
/** The transcript entry of each user message in history, for regenerate and edit. */
const userItems = new Map<ChatMessage, HTMLLIElement>();
let engine: ChatEngine | undefined;
let turn: AbortController | undefined;
let choices: ModelChoice[] = [tinyChoice()];

const settings = () =>
  readSettings($<HTMLFormElement>("settings-form"), {
    logprobs: $<HTMLInputElement>("show-logprobs").checked,
    tools: $<HTMLInputElement>("use-tools").checked,
  });
const system = () => $<HTMLTextAreaElement>("system").value;

function setBusy(busy: boolean): void {
  $<HTMLButtonElement>("send").disabled = busy || !engine;
  $<HTMLButtonElement>("stop").disabled = !busy;
  $<HTMLButtonElement>("regenerate").disabled = busy || !history.some((m) => m.role === "user");
  $<HTMLButtonElement>("edit").disabled = busy || !history.some((m) => m.role === "user");
}

function showRequest(): void {
  const pending = $<HTMLTextAreaElement>("message").value;
  const h: ChatMessage[] = pending ? [...history, { role: "user", content: pending }] : history;
  $("request-json").textContent = JSON.stringify(
    {
      model: $<HTMLSelectElement>("model").value,
      ...requestBody({ history: h, system: system(), fields: settings(), tools: $<HTMLInputElement>("use-tools").checked }),
    },
    null,
    2,
  );
}

async function loadModel(): Promise<void> {
  const id = $<HTMLSelectElement>("model").value;
  const choice = choices.find((c) => c.id === id);
  if (choice?.unavailable) return void ($("load-status").textContent = `${id} cannot run here: ${choice.unavailable}`);
  await engine?.dispose();
  engine = undefined;
  setBusy(false);
  const bar = $<HTMLProgressElement>("progress");
  $<HTMLButtonElement>("cancel-load").disabled = false;
  $<HTMLButtonElement>("load").disabled = true;
  try {
    const loading = await createEngine({
      onProgress: (p) => {
        bar.max = p.total || 1;
        bar.value = p.loaded;
        const pct = p.total ? ` ${((100 * p.loaded) / p.total).toFixed(0)}%` : "";
        const mb = (n: number) => (n / 1e6).toFixed(1);
        const bytes = p.stage === "download" && p.total ? ` (${mb(p.loaded)} of ${mb(p.total)} MB)` : "";
        $("load-status").textContent = `${p.stage}${pct}${bytes}: ${p.text}`;
      },
    });
    cancelLoad = () => void loading.dispose();
    await loading.load(id);
    engine = loading;
    $("load-status").textContent = `${id} is ready.`;
  } catch (e) {
    $("load-status").textContent = `Not loaded: ${(e as Error).message}`;
  } finally {
    cancelLoad = undefined;
    $<HTMLButtonElement>("cancel-load").disabled = true;
    $<HTMLButtonElement>("load").disabled = false;
    setBusy(false);
  }
}
let cancelLoad: (() => void) | undefined;

async function send(text: string): Promise<void> {
  if (!engine) return;
  if (text) {
    const msg: ChatMessage = { role: "user", content: text };
    history.push(msg);
    userItems.set(msg, transcript.user(text));
  }
  turn = new AbortController();
  setBusy(true);
  try {
    await runTurn({
      engine,
      transcript,
      history,
      system: system(),
      fields: settings(),
      tools: $<HTMLInputElement>("use-tools").checked,
      signal: turn.signal,
    });
  } catch {
    // The error is shown on the answer it happened in.
  } finally {
    turn = undefined;
    setBusy(false);
    showRequest();
  }
}

/** Drop everything after the last user message (its answer and tool results). */
function backToLastUser(): ChatMessage | undefined {
  const last = history.findLastIndex((m) => m.role === "user");
  if (last < 0) return undefined;
  const msg = history[last]!;
  history.length = last + 1;
  const item = userItems.get(msg)!;
  while (item.nextSibling) item.nextSibling.remove();
  return msg;
}

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const box = $<HTMLTextAreaElement>("message");
  const text = box.value.trim();
  if (!text || turn) return;
  box.value = "";
  void send(text);
});
$("message").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    $<HTMLFormElement>("composer").requestSubmit();
  }
});
$("stop").addEventListener("click", () => turn?.abort());
$("regenerate").addEventListener("click", () => {
  if (backToLastUser()) void send("");
});
$("edit").addEventListener("click", () => {
  const msg = backToLastUser();
  if (!msg) return;
  history.pop();
  transcript.truncateFrom(userItems.get(msg)!);
  $<HTMLTextAreaElement>("message").value = String(msg.content);
  $("message").focus();
  setBusy(false);
});
$("clear").addEventListener("click", () => {
  turn?.abort();
  history.length = 0;
  transcript.clear();
  setBusy(false);
});
$("load").addEventListener("click", () => void loadModel());
$("cancel-load").addEventListener("click", () => {
  cancelLoad?.();
  $("load-status").textContent = "Loading cancelled.";
});
$("model").addEventListener("change", () => {
  const c = choices.find((x) => x.id === $<HTMLSelectElement>("model").value);
  $("model-note").textContent = c ? (c.unavailable ? `Unavailable here: ${c.unavailable}` : c.note) : "";
  showRequest();
});
$("copy-request").addEventListener("click", () => void navigator.clipboard?.writeText($("request-json").textContent ?? ""));
for (const id of ["settings-form", "composer"]) $(id).addEventListener("input", showRequest);
tokenTooltip($("transcript"), $("token-tip"));

function fillPicker(): void {
  const select = $<HTMLSelectElement>("model");
  select.replaceChildren(...choices.map((c) => new Option(c.label, c.id)));
  select.value = TINY_MODEL_ID;
  select.dispatchEvent(new Event("change"));
}

async function init(): Promise<void> {
  fillPicker();
  const gpu = await gpuInfo();
  $("webgpu").textContent = gpu.text;
  choices = [tinyChoice(), ...(await prebuiltChoices(gpu).catch(() => []))];
  fillPicker();
}

if (import.meta.env.PROD) {
  registerSW({ immediate: true, onOfflineReady: () => ($("offline").textContent = "Offline: ready") });
  void navigator.serviceWorker?.ready.then(() => ($("offline").textContent = "Offline: ready"));
} else {
  $("offline").textContent = "Offline: off in dev mode (npm run build && npx vite preview)";
}
setBusy(false);
showRequest();
void init();
