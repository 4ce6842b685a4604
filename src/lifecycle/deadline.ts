/**
 * Deadlines without XState delayed events (each actor stop scans every pending delayed
 * event of the system: O(n²) at scale, see docs/benchmarks.md). At most one timer per
 * check, made on first need and cleared as soon as the check ends.
 */
import { CheckTimeoutError } from '../errors.js';

/** An AbortSignal that fires at a deadline or when a parent signal aborts. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly timeoutMs: number;
  /** Aborts now with `reason` (a stopped actor). */
  abort(reason: unknown): void;
  /**
   * Settles with `work`, or rejects with the abort reason as soon as the deadline (or
   * parent) aborts, even if `work` ignores the signal. One listener per deadline, however
   * many hooks race it.
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** Clears the timer and the parent listener. Idempotent. */
  dispose(): void;
}

/**
 * Starts a deadline `timeoutMs` from now, also aborting when `parent` aborts. The
 * AbortController, its timer and the parent listener are made on first need (the
 * signal is read, a hook's promise is raced, or the check is aborted): a check whose
 * hooks all answer synchronously needs none of them (docs/benchmarks.md).
 */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const at = Date.now() + timeoutMs;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const onParentAbort = () => controller?.abort(parent?.reason);
  const armed = (): AbortController => {
    if (controller) return controller;
    const c = (controller = new AbortController());
    if (parent?.aborted) c.abort(parent.reason);
    if (disposed || c.signal.aborted) return c;
    parent?.addEventListener('abort', onParentAbort, { once: true });
    const left = at - Date.now();
    if (left <= 0) c.abort(new CheckTimeoutError(timeoutMs / 1000));
    else timer = setTimeout(() => c.abort(new CheckTimeoutError(timeoutMs / 1000)), left);
    return c;
  };
  let aborted: Promise<never> | undefined;
  return {
    get signal() {
      return armed().signal;
    },
    at,
    timeoutMs,
    abort: (reason) => armed().abort(reason),
    race<T>(work: Promise<T>): Promise<T> {
      aborted ??= abortedPromise(armed().signal);
      return Promise.race([work, aborted]);
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (controller) parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
/** A promise that rejects with the signal's reason when it aborts (never resolves). */
function abortedPromise(signal: AbortSignal): Promise<never> {
  const p = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
  p.catch(() => undefined);
  return p;
}
