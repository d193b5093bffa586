/** The stored-models panel: engine.cache's list with sizes and delete, the origin's quota, persistent storage. */
import type { CachedModel, ModelCache } from "../index.js";
import { mb } from "./progress.js";

const $ = (id: string) => document.getElementById(id)!;

function ago(ms: number): string {
  const s = (Date.now() - ms) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export class StoragePanel {
  /** The last list, by model id (the picker shows which models are stored). */
  stored = new Map<string, CachedModel>();

  constructor(
    private readonly cache: ModelCache,
    /** Called after every refresh (the picker updates its labels). */
    private readonly onRefresh: () => void,
  ) {
    $("persist").addEventListener("click", () => void this.persist());
  }

  async refresh(): Promise<void> {
    let models: CachedModel[];
    let est: Awaited<ReturnType<ModelCache["estimate"]>>;
    try {
      [models, est] = await Promise.all([this.cache.list(), this.cache.estimate()]);
    } catch (e) {
      $("storage-summary").textContent = `Storage cannot be read here: ${(e as Error).message}`;
      return;
    }
    this.stored = new Map(models.map((m) => [m.id, m]));
    $("cached-models").replaceChildren(...models.map((m) => this.row(m)));
    $("storage-empty").hidden = models.length > 0;
    const share = est.quota && est.usage !== null ? Math.min(1, est.usage / est.quota) : 0;
    $("storage-bar").style.width = `${(100 * share).toFixed(1)}%`;
    const known = (n: number | null) => (n === null ? "unknown" : mb(n)); // this browser has no storage.estimate
    $("storage-summary").textContent =
      `${known(est.usage)} used of ${known(est.quota)} this site may use (models: ${mb(est.engineBytes)}). ` +
      (est.persisted
        ? "Storage is persistent: the browser keeps it under pressure."
        : "The browser may clear it when space runs low.");
    const button = $("persist") as HTMLButtonElement;
    button.hidden = est.persisted;
    this.onRefresh();
  }

  private row(m: CachedModel): HTMLLIElement {
    const li = document.createElement("li");
    const info = li.appendChild(document.createElement("div"));
    info.appendChild(document.createElement("span")).className = "name";
    info.firstElementChild!.textContent = m.id;
    const meta = info.appendChild(document.createElement("span"));
    meta.className = "meta";
    meta.textContent = [
      mb(m.bytes),
      m.complete ? "complete" : "partial",
      m.runner === "reference" ? "CPU" : `web-llm (${m.backend === "cache" ? "Cache API" : "IndexedDB"})`,
      m.lastUsed ? `used ${ago(m.lastUsed)}` : "",
    ]
      .filter(Boolean)
      .join(" · ");
    const del = li.appendChild(document.createElement("button"));
    del.type = "button";
    del.className = "danger";
    del.textContent = "Delete";
    del.setAttribute("aria-label", `Delete ${m.id} (${mb(m.bytes)})`);
    del.addEventListener("click", () => void this.remove(m.id, del));
    return li;
  }

  private async remove(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const freed = await this.cache.delete(id);
      $("storage-status").textContent = `Deleted ${id}: ${mb(freed)} freed. Loading it again downloads it again.`;
    } catch (e) {
      $("storage-status").textContent = `Could not delete ${id}: ${(e as Error).message}`;
    }
    await this.refresh();
  }

  private async persist(): Promise<void> {
    const granted = await this.cache.persist();
    $("storage-status").textContent = granted
      ? "The browser will keep stored models when space runs low."
      : "The browser declined persistent storage (browsers grant it to installed or often-used sites).";
    await this.refresh();
  }
}
