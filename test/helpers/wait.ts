/** Polling helper for things that happen asynchronously outside the test (mail delivery, queue runs, ...). */

export interface WaitForOptions {
  /** Give up after this long. Default 10 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 50 ms. */
  intervalMs?: number;
  /** What is being waited for, used in the timeout error. */
  what?: string;
}

type Pending = undefined | null | false;

/**
 * Calls `fn` until it returns something other than undefined/null/false and resolves with that value. An attempt
 * that throws counts as "not yet" (the error is reported if the deadline passes). Rejects after `timeoutMs`.
 */
export async function waitFor<T>(fn: () => T | Pending | Promise<T | Pending>, opts: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined; // report only an error from the latest attempt
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError === undefined ? '' : `; last error: ${String((lastError as Error)?.message ?? lastError)}`;
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${detail}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Completed dispatcher scans (`kiln_dispatch_scans_total`) in a Prometheus exposition. */
export function dispatchScans(metricsText: string): number {
  const m = /^kiln_dispatch_scans_total (\d+)$/m.exec(metricsText);
  if (!m) throw new Error('kiln_dispatch_scans_total is missing from the metrics');
  return Number(m[1]);
}

/**
 * Resolves once the dispatcher has completed `scans` scans that began after this call (one is
 * enough in-process; a waiting scan counts after the one in flight). Use before asserting that
 * the dispatcher did NOT send something: it has had its chance, without a fixed sleep.
 */
export async function dispatcherLooked(readMetrics: () => Promise<string>, opts: { scans?: number; timeoutMs?: number } = {}): Promise<void> {
  const start = dispatchScans(await readMetrics());
  // The scan in flight when we read may have started before the state under test: skip it.
  const target = start + 1 + (opts.scans ?? 1);
  await waitFor(async () => dispatchScans(await readMetrics()) >= target, { timeoutMs: opts.timeoutMs ?? 15_000, what: `dispatcher scan #${target}` });
}
