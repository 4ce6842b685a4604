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
  return new LazyDeadline(timeoutMs, parent);
}

/**
 * One per check: a class rather than a closure bundle, so a deadline is one object
 * (its methods live on the prototype); the listener and timer closures exist only once
 * armed.
 */
class LazyDeadline implements Deadline {
  readonly at: number;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onParentAbort: (() => void) | undefined;
  private aborted: Promise<never> | undefined;
  private disposed = false;

  constructor(
    readonly timeoutMs: number,
    private readonly parent: AbortSignal | undefined,
  ) {
    this.at = Date.now() + timeoutMs;
  }

  get signal(): AbortSignal {
    return this.armed().signal;
  }

  abort(reason: unknown): void {
    this.armed().abort(reason);
  }

  race<T>(work: Promise<T>): Promise<T> {
    this.aborted ??= abortedPromise(this.armed().signal);
    return Promise.race([work, this.aborted]);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.onParentAbort) this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  private armed(): AbortController {
    if (this.controller) return this.controller;
    const c = (this.controller = new AbortController());
    const { parent, timeoutMs } = this;
    if (parent?.aborted) c.abort(parent.reason);
    if (this.disposed || c.signal.aborted) return c;
    if (parent) {
      this.onParentAbort = () => c.abort(parent.reason);
      parent.addEventListener('abort', this.onParentAbort, { once: true });
    }
    const left = this.at - Date.now();
    if (left <= 0) c.abort(new CheckTimeoutError(timeoutMs / 1000));
    else this.timer = setTimeout(() => c.abort(new CheckTimeoutError(timeoutMs / 1000)), left);
    return c;
  }
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
