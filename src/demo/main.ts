/** The demo app: model picker, stored models, streaming chat with logprobs and tools, settings, offline readiness. */
import { registerSW } from "virtual:pwa-register";
import { createEngine, ModelCache, quotaSizes, TINY_MODEL_ID, type ChatEngine, type ChatMessage } from "../index.js";
import { playDemo } from "./canned.js";
import { requestBody, runTurn } from "./chat.js";
import { ggufChoice } from "./gguf-choice.js";
import {
  gpuInfo,
  optionLabel,
  pickerGroups,
  prebuiltChoices,
  realChoice,
  realModelFolder,
  tinyChoice,
  type ModelChoice,
} from "./models.js";
import { DownloadMeter, mb } from "./progress.js";
import { applyControlValues, controlValues, readSaved, writeSaved } from "./saved.js";
import { readSettings } from "./settings.js";
import { errorLine, RemotePanel, remoteChoice, REMOTE_CHOICE_ID } from "./remote.js";
import { StoragePanel } from "./storage.js";
import { tokenTooltip } from "./tokens.js";
import { Transcript } from "./transcript.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const transcript = new Transcript($("transcript"), () => ($("empty").hidden = !transcript.empty));
const history: ChatMessage[] = [];
/** The transcript entry of each user message in history, for regenerate and edit. */
const userItems = new Map<ChatMessage, HTMLLIElement>();
const cache = new ModelCache();
const storage = new StoragePanel(cache, () => fillPicker());
let engine: ChatEngine | undefined;
let turn: AbortController | undefined;
/** The scripted conversation while it plays or is shown (a real message replaces it). */
let demo: AbortController | undefined;
let choices: ModelChoice[] = [tinyChoice(), remoteChoice()];
const remote = new RemotePanel(
  $<HTMLFieldSetElement>("remote-box"),
  $<HTMLInputElement>("remote-url"),
  $<HTMLInputElement>("remote-key"),
  $<HTMLSelectElement>("remote-model"),
  $("remote-status"),
);

const settings = () =>
  readSettings($<HTMLFormElement>("settings-form"), {
    logprobs: $<HTMLInputElement>("show-logprobs").checked,
    tools: $<HTMLInputElement>("use-tools").checked,
  });
const system = () => $<HTMLTextAreaElement>("system").value;

function setBusy(busy: boolean): void {
  $<HTMLButtonElement>("send").disabled = busy;
  $<HTMLButtonElement>("stop").disabled = !busy;
  $("streaming").hidden = !busy;
  $("transcript").setAttribute("aria-busy", String(busy));
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

function status(text: string, kind: "" | "ok" | "error" = ""): void {
  const s = $("load-status");
  s.textContent = text;
  s.className = kind;
}

/** What a failed load means for the person in front of the page. */
function loadFailure(e: unknown, remoteLoad: boolean): string {
  const sizes = quotaSizes(e);
  if (sizes) {
    return `Not loaded: not enough storage for this model (needs ${mb(sizes.needed)}, ${mb(sizes.available)} free). Delete a stored model below, or ask for persistent storage, then load again. Nothing of it was kept.`;
  }
  return `Not loaded: ${remoteLoad ? errorLine(e) : (e as Error).message}`;
}

async function loadModel(): Promise<void> {
  const picked = $<HTMLSelectElement>("model").value;
  const choice = choices.find((c) => c.id === picked);
  if (choice?.unavailable) return status(`${picked} cannot run here: ${choice.unavailable}`, "error");
  // A remote server: its served model, listed first when none is chosen yet.
  const remoteLoad = picked === REMOTE_CHOICE_ID;
  if (remoteLoad && !remote.record() && !(await remote.fetchModels()))
    return status("Not loaded: the server's models could not be listed (see above).", "error");
  const spec = remoteLoad ? remote.record()! : (choice?.spec ?? picked);
  const id = typeof spec === "string" ? spec : spec.model_id;
  await engine?.dispose();
  engine = undefined;
  setBusy(false);
  const bar = $<HTMLProgressElement>("progress");
  const meter = new DownloadMeter(storage.stored.get(id)?.complete ?? false);
  $<HTMLButtonElement>("cancel-load").disabled = false;
  $<HTMLButtonElement>("load").disabled = true;
  $("progress-box").hidden = false;
  bar.removeAttribute("value");
  $("progress-text").textContent = "Starting…";
  status("");
  chatModel(`Loading ${id}…`);
  try {
    const loading = await createEngine({
      onProgress: (p) => {
        const { text, fraction } = meter.update(p);
        if (fraction === null) bar.removeAttribute("value");
        else bar.value = fraction;
        $("progress-text").textContent = text;
      },
    });
    cancelLoad = () => void loading.dispose();
    await loading.load(spec);
    engine = loading;
    status(`${id} is ready.`, "ok");
    chatModel(`Model: ${id}`, "ok");
  } catch (e) {
    status(loadFailure(e, remoteLoad), "error");
    chatModel(waiting ? "Not loaded: your message is kept; pick a model and press Load." : "No model loaded", "error");
  } finally {
    cancelLoad = undefined;
    $("progress-box").hidden = true;
    $<HTMLButtonElement>("cancel-load").disabled = true;
    $<HTMLButtonElement>("load").disabled = false;
    setBusy(false);
    void storage.refresh();
  }
  if (engine && waiting) sendWaiting();
}
let cancelLoad: (() => void) | undefined;

/** Take the scripted conversation off the page before a real one starts. */
function endDemo(): void {
  if (!demo) return;
  demo.abort();
  demo = undefined;
  if (!history.length) transcript.clear();
}

async function send(text: string): Promise<void> {
  if (!engine) return;
  endDemo();
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
    persist();
  }
}

const forms = () => [$<HTMLFormElement>("settings-form"), $<HTMLFormElement>("composer")];

/** Keep settings, model choice and the finished turns for the next visit. */
function persist(): void {
  writeSaved({ controls: controlValues(forms()), model: $<HTMLSelectElement>("model").value, history: [...history] });
}

/** Show a saved conversation again: messages as they were sent, answers as plain text. */
function restoreHistory(saved: readonly ChatMessage[]): void {
  for (const m of saved) {
    history.push(m);
    const text = typeof m.content === "string" ? m.content : "";
    if (m.role === "user") userItems.set(m, transcript.user(text));
    else if (m.role === "tool") transcript.tool(`→ ${text}`);
    else if (m.role === "assistant") {
      const a = transcript.answer();
      a.append(text, null);
      for (const c of m.tool_calls ?? []) a.append(`→ ${c.function.name}(${c.function.arguments})\n`, null);
      a.stats("from your last visit");
    }
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

/** The chat's line saying which model answers (or that none is loaded yet). */
function chatModel(text: string, kind: "" | "ok" | "error" = ""): void {
  const s = $("chat-model");
  s.textContent = text;
  s.className = `chat-model ${kind}`;
}

/** A message sent before a model is ready: it stays in the box and goes once the model is loaded. */
let waiting = false;
function sendWaiting(): void {
  const box = $<HTMLTextAreaElement>("message");
  const text = box.value.trim();
  waiting = false;
  if (!text) return;
  box.value = "";
  void send(text);
}

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $<HTMLTextAreaElement>("message").value.trim();
  if (!text || turn) return;
  if (!engine) {
    waiting = true;
    chatModel("Your message will be sent as soon as the model is loaded.");
    if (!cancelLoad) void loadModel();
    return;
  }
  sendWaiting();
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
  demo?.abort();
  demo = undefined;
  history.length = 0;
  transcript.clear();
  setBusy(false);
  persist();
});
$("play-demo").addEventListener("click", () => {
  endDemo();
  demo = new AbortController();
  void playDemo(transcript, demo.signal);
});
$("load").addEventListener("click", () => void loadModel());
$("remote-fetch").addEventListener("click", () => void remote.fetchModels());
$("cancel-load").addEventListener("click", () => {
  cancelLoad?.();
  status("Loading cancelled.");
});
$("model").addEventListener("change", () => {
  const c = choices.find((x) => x.id === $<HTMLSelectElement>("model").value);
  $("model-note").textContent = c ? (c.unavailable ? `Unavailable here: ${c.unavailable}` : c.note) : "";
  remote.show(c?.id === REMOTE_CHOICE_ID);
  $<HTMLButtonElement>("load").disabled = Boolean(c?.unavailable) || Boolean(cancelLoad);
  showRequest();
});
$("copy-request").addEventListener("click", () => void navigator.clipboard?.writeText($("request-json").textContent ?? ""));
for (const id of ["settings-form", "composer"]) $(id).addEventListener("input", showRequest);
for (const id of ["settings-form", "composer", "model"]) $(id).addEventListener("change", persist);
tokenTooltip($("transcript"), $("token-tip"));

/** Fill the picker (keeping the selection), each option with its storage state. */
function fillPicker(preferred = TINY_MODEL_ID): void {
  const select = $<HTMLSelectElement>("model");
  const selected = select.value || saved?.model || preferred;
  select.replaceChildren(...pickerGroups(choices, (c) => optionLabel(c, storage.stored.get(c.id))));
  select.value = choices.some((c) => c.id === selected) ? selected : preferred;
  select.dispatchEvent(new Event("change"));
}

async function init(): Promise<void> {
  fillPicker();
  void storage.refresh();
  const [gpu, folder, gguf] = await Promise.all([gpuInfo(), realModelFolder(), ggufChoice()]);
  // The real model is the default where it can load; the tiny one stays the instant offline fallback.
  const real = folder ? realChoice(gpu, folder) : null;
  choices = [
    ...(real ? [real] : []),
    ...(gguf ? [gguf] : []),
    tinyChoice(),
    ...(await prebuiltChoices(gpu).catch(() => [])),
    remoteChoice(),
  ];
  if (real && $<HTMLSelectElement>("model").value === TINY_MODEL_ID) $<HTMLSelectElement>("model").value = "";
  fillPicker(real?.id ?? TINY_MODEL_ID);
  document.body.dataset.models = "ready";
}

/** The header says when the page works offline, and when it is running offline from this browser's cache. */
let offlineReady = false;
function showConnection(): void {
  const chip = $("offline");
  chip.hidden = navigator.onLine && !offlineReady;
  chip.textContent = navigator.onLine ? "Works offline" : "Offline: running from this browser's cache";
  chip.classList.toggle("warn", !navigator.onLine);
}
const ready = () => ((offlineReady = true), showConnection());
if (import.meta.env.PROD) {
  registerSW({ immediate: true, onOfflineReady: ready });
  void navigator.serviceWorker?.ready.then(ready);
}
addEventListener("online", showConnection);
addEventListener("offline", showConnection);
showConnection();
const saved = readSaved();
if (saved) {
  applyControlValues(forms(), saved.controls);
  restoreHistory(saved.history);
}
setBusy(false);
showRequest();
void init();
