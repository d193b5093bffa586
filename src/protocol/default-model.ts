/**
 * The model a request runs on: the one its `model` names, else the first loaded (the default, as
 * a one-model vLLM server answers any request). Decided here once for the host's routing, the
 * engine's plan and the shared worker's hold on the model.
 */
export function requestedModel(named: unknown, loaded: readonly string[]): string | undefined {
  return typeof named === "string" ? named : loaded[0];
}
