/**
 * Deadlines without XState delayed events (each actor stop scans every pending delayed
 * event of the system: O(n²) at scale, see docs/benchmarks.md). One timer per check,
 * cleared as soon as the check ends, so nothing is left behind.
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

/** Starts a deadline `timeoutMs` from now, also aborting when `parent` aborts. */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckTimeoutError(timeoutMs / 1000)), timeoutMs);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent) {
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onParentAbort, { once: true });
  }
  let aborted: Promise<never> | undefined;
  return {
    signal: controller.signal,
    at: Date.now() + timeoutMs,
    timeoutMs,
    abort: (reason) => controller.abort(reason),
    race<T>(work: Promise<T>): Promise<T> {
      aborted ??= abortedPromise(controller.signal);
      return Promise.race([work, aborted]);
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
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
