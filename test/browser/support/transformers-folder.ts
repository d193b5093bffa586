/**
 * Model folders as current transformers releases save them (save_pretrained writes the chat
 * template to chat_template.jinja and leaves it out of tokenizer_config.json), made from the
 * repo's own tiny models. Files are hard-linked, the folder built in a temp dir and renamed, so
 * two runs at once are safe.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TemplatePlace = "jinja" | "json" | "none";

/** Copy `from` to `to` with its chat template moved out of tokenizer_config.json into `place`. */
export function saveAsTransformers(from: string, to: string, place: TemplatePlace): void {
  if (existsSync(to)) return;
  const tmp = mkdtempSync(to.replace(/\/$/, "") + ".tmp-");
  cpSync(from, tmp, { recursive: true, force: true });
  const configPath = join(tmp, "tokenizer_config.json");
  const { chat_template: template, ...config } = JSON.parse(readFileSync(configPath, "utf8")) as { chat_template?: string };
  if (typeof template !== "string") throw new Error(`${from}tokenizer_config.json has no chat template to move`);
  rmSync(configPath); // a fresh file, not a write through a hard link into the source folder
  writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n");
  if (place === "jinja") writeFileSync(join(tmp, "chat_template.jinja"), template);
  if (place === "json")
    writeFileSync(join(tmp, "chat_template.json"), JSON.stringify({ chat_template: template }, null, 2) + "\n");
  try {
    renameSync(tmp, to);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run renamed its copy first
  }
}
