/**
 * What a tab calls on its session in the shared worker beyond EngineHost's calls. Types only, so
 * the page side (and the published .d.ts) does not reach into the worker's modules.
 */

/** What the shared worker knows about itself: for `engine.sharedStatus()` and the tests. */
export interface SharedStatus {
  /** Tabs connected and not yet gone. */
  tabs: number;
  /** Model loads actually run (a tab joining a load in flight, or finding the model loaded, adds none). */
  loads: number;
  queued: number;
  models: string[];
}

export interface TabSessionCalls {
  /** Queue for the tab's Web Lock `name`; the session ends when the worker is granted it. */
  watchTab(name: string): void;
  status(): SharedStatus;
}
