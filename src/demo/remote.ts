/**
 * The picker's "Remote server" entry: a server URL, an optional API key and the served model
 * (listed from the server's /v1/models). The key lives in this tab's sessionStorage only: never
 * localStorage, never logged, never in a message (the engine's errors name the origin only).
 */
import { ApiError, listRemoteModels, type RemoteRecord } from "../index.js";
import type { ModelChoice } from "./models.js";

export const REMOTE_CHOICE_ID = "remote-server";
const SESSION_KEY = "webgpu-chat-engine-demo-remote";

export function remoteChoice(): ModelChoice {
  return {
    id: REMOTE_CHOICE_ID,
    label: "Remote server (OpenAI-compatible, e.g. vLLM)…",
    group: "Remote server",
    unavailable: null,
    note: "Chat with a model on a server you name: the conversation goes to that server. It must allow this page's origin (vLLM --allowed-origins) or sit behind this site's own proxy.",
  };
}

/** An ApiError as the line the page shows: what kind, then what to do. */
export function errorLine(e: unknown): string {
  if (e instanceof ApiError) return `${e.status} ${e.code ?? e.type}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

export class RemotePanel {
  constructor(
    private readonly box: HTMLFieldSetElement,
    private readonly url: HTMLInputElement,
    private readonly key: HTMLInputElement,
    private readonly served: HTMLSelectElement,
    private readonly status: HTMLElement,
  ) {
    const kept = readSession();
    url.value = kept.url;
    key.value = kept.key;
    for (const input of [url, key]) input.addEventListener("change", () => this.keep());
    // Another server: the names listed belong to the old one.
    url.addEventListener("input", () => {
      served.replaceChildren();
      served.disabled = true;
    });
  }

  show(on: boolean): void {
    this.box.hidden = !on;
  }

  /** List the server's models into the served-model select; an error shows (typed) and is returned. */
  async fetchModels(): Promise<boolean> {
    this.keep();
    this.served.replaceChildren();
    this.served.disabled = true;
    this.say("Asking the server for its models…");
    try {
      const models = await listRemoteModels(this.url.value.trim(), { api_key: this.key.value || undefined });
      if (!models.length) return this.say("The server lists no models.", true);
      this.served.append(...models.map((m) => new Option(m.max_model_len ? `${m.id} (${m.max_model_len} tokens)` : m.id, m.id)));
      this.served.disabled = false;
      return this.say(`${models.length} model${models.length > 1 ? "s" : ""} served.`);
    } catch (e) {
      return this.say(errorLine(e), true);
    }
  }

  /** The record to load: the served name is also the id the chat shows. */
  record(): RemoteRecord | null {
    const model = this.served.value;
    if (!model) return null;
    const key = this.key.value;
    return { model_id: model, runner: "remote", base_url: this.url.value.trim(), model, ...(key && { api_key: key }) };
  }

  private say(text: string, error = false): boolean {
    this.status.textContent = text;
    this.status.className = error ? "note error" : "note";
    return !error;
  }

  private keep(): void {
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({ url: this.url.value, key: this.key.value }));
    } catch {
      // Storage disabled: the fields still work for this page.
    }
  }
}

function readSession(): { url: string; key: string } {
  try {
    const kept = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "{}") as { url?: unknown; key?: unknown };
    return { url: typeof kept.url === "string" ? kept.url : "", key: typeof kept.key === "string" ? kept.key : "" };
  } catch {
    return { url: "", key: "" };
  }
}
