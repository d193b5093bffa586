import { ApiError, toApiError } from "../../protocol/errors.js";
import { networkError, timeoutError } from "./errors.js";

/**
 * One HTTP request to a remote server: a controller that the caller's signal, a cancel by
 * request_id and an idle timer all abort, and that says afterwards which of them did.
 */
export class RemoteCall {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unlisten: () => void;

  constructor(
    private readonly origin: string,
    private readonly idleMs: number,
    signal?: AbortSignal,
  ) {
    const onAbort = () => this.controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.unlisten = () => signal?.removeEventListener("abort", onAbort);
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restart the idle timer: the server just answered something. */
  readonly touch = (): void => {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(timeoutError(this.origin, this.idleMs)), this.idleMs);
  };

  abort(reason: ApiError): void {
    this.controller.abort(reason);
  }

  /** Aborted by the caller or a cancel (not by the timer): the request ends as "abort", not as an error. */
  get stopped(): boolean {
    const reason: unknown = this.controller.signal.reason;
    return this.controller.signal.aborted && !(reason instanceof ApiError && reason.code === "remote_timeout");
  }

  /**
   * What a failure of this call means: why it was aborted (caller, cancel, idle timer) when it
   * was, whatever fetch or the body stream threw; else the server's ApiError or a network error.
   */
  failure(e: unknown, midStream: boolean): ApiError {
    if (this.controller.signal.aborted) return toApiError(this.controller.signal.reason);
    return e instanceof ApiError ? e : networkError(e, this.origin, midStream);
  }

  close(): void {
    clearTimeout(this.timer);
    this.unlisten();
    this.controller.abort(); // a no-op when done; otherwise closes the connection
  }
}
