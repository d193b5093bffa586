/** Download / load progress, in bytes when known. */
export interface LoadProgress {
  stage: "download" | "parse" | "compile" | "ready";
  file: string;
  loaded: number;
  total: number;
  text: string;
}

export type ProgressCallback = (p: LoadProgress) => void;
