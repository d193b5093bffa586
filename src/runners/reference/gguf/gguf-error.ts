/** A GGUF file the reference runner cannot read: says what is wrong, in which tensor, and what to do. */
export class GgufError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly tensor?: string,
  ) {
    super(message);
    this.name = "GgufError";
  }
}
