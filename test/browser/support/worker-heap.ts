import type { CDPSession, Page } from "@playwright/test";

/** JS heap plus ArrayBuffer backing stores of a page's worker, after a full GC, through CDP. */
export async function workerHeap(page: Page, urlPart: string): Promise<() => Promise<number>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  let session: string | undefined;
  const replies = new Map<number, (r: Record<string, number>) => void>();
  cdp.on("Target.attachedToTarget", (e) => {
    if (e.targetInfo.type === "worker" && e.targetInfo.url.includes(urlPart)) session = e.sessionId;
  });
  cdp.on("Target.receivedMessageFromTarget", (e) => {
    const m = JSON.parse(e.message) as { id?: number; result?: Record<string, number> };
    if (m.id !== undefined) replies.get(m.id)?.(m.result ?? {});
  });
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  let next = 0;
  const call = (method: string) =>
    new Promise<Record<string, number>>((resolve, reject) => {
      if (!session) return reject(new Error(`no worker whose URL has "${urlPart}"`));
      replies.set(++next, resolve);
      void cdp.send("Target.sendMessageToTarget", { sessionId: session, message: JSON.stringify({ id: next, method }) });
    });
  return async () => {
    await call("HeapProfiler.collectGarbage");
    const u = await call("Runtime.getHeapUsage");
    return u.usedSize! + (u.backingStorageSize ?? 0);
  };
}
