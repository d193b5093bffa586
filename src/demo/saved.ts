/** What survives a reload: the settings, the chosen model and the conversation, in localStorage. */
import type { ChatMessage } from "../index.js";

const KEY = "webgpu-chat-engine-demo";

export interface Saved {
  /** Form controls by name (or id): settings, system prompt, checkboxes as "true" / "false". */
  controls: Record<string, string>;
  model: string;
  history: ChatMessage[];
}

export function readSaved(): Saved | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    return null; // storage disabled or a value from an older demo: start fresh
  }
}

export function writeSaved(s: Saved): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage full or disabled: the demo works without it.
  }
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controlsOf(forms: readonly HTMLFormElement[]): Control[] {
  return forms.flatMap((f) => [...f.elements]).filter((e): e is Control => "value" in e && Boolean((e as Control).name || e.id));
}

/** The forms' values, except the message being typed (it is not a setting). */
export function controlValues(forms: readonly HTMLFormElement[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of controlsOf(forms)) {
    if (c.id === "message") continue;
    out[c.name || c.id] = c instanceof HTMLInputElement && c.type === "checkbox" ? String(c.checked) : c.value;
  }
  return out;
}

export function applyControlValues(forms: readonly HTMLFormElement[], values: Record<string, string>): void {
  for (const c of controlsOf(forms)) {
    const v = values[c.name || c.id];
    if (v === undefined || c.id === "message") continue;
    if (c instanceof HTMLInputElement && c.type === "checkbox") c.checked = v === "true";
    else c.value = v;
  }
}
