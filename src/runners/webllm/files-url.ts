/**
 * Where web-llm reads a model's files: like its cleanModelUrl, any URL without a `/resolve/<rev>/`
 * segment gets `resolve/main/` (the Hugging Face layout), so local mirrors use that layout too.
 */
export function modelFilesUrl(model: string, base?: string): string {
  let url = model.endsWith("/") ? model : model + "/";
  if (!/.+\/resolve\/.+\//.test(url)) url += "resolve/main/";
  return new URL(url, base).href;
}
