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
  return {
    signal: controller.signal,
    at: Date.now() + timeoutMs,
    timeoutMs,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts, even if
 * `work` ignores the signal (a hung check must not hold its actor).
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
