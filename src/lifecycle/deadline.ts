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
  /** Whether the deadline passed or the check was aborted (without making the signal). */
  readonly fired: boolean;
  /** Why it fired: a `CheckTimeoutError` at the deadline, else the abort's reason. */
  readonly reason: unknown;
  /** Aborts now with `reason` (a stopped actor). */
  abort(reason: unknown): void;
  /**
   * Tells `listener` the reason when the deadline fires (at once if it has), without
   * making the signal. Returns a function that stops telling it.
   */
  onAbort(listener: (reason: unknown) => void): () => void;
  /**
   * Settles with `work`, or rejects with the abort reason as soon as the deadline (or
   * parent) aborts, even if `work` ignores the signal. Hooks run one at a time, so a
   * deadline has at most one pending race.
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** Clears the timer and the parent listener. Idempotent. */
  dispose(): void;
}

/**
 * Starts a deadline `timeoutMs` from now, also aborting when `parent` aborts. The timer
 * and the parent listener are made on first need (the signal is read, a hook's promise
 * is raced or a probe links to it), the AbortController only when the signal is read:
 * a check whose hooks all answer synchronously needs none of them (docs/benchmarks.md).
 */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  return new LazyDeadline(timeoutMs, parent);
}

/** A context that links to its check's deadline directly: see `linkToDeadline`. */
export const ON_DEADLINE = Symbol('scorekeeper.onDeadline');

/** What a check context with `ON_DEADLINE` offers (the engine's own contexts do). */
export interface DeadlineLink {
  readonly [ON_DEADLINE]: (listener: (reason: unknown) => void) => () => void;
}

/**
 * Calls `listener` when the check's deadline fires or the check is stopped, and returns
 * a function that unlinks it. On the engine's contexts this neither makes the check's
 * AbortSignal nor adds an event listener to it: a probe's own deadline (tcp-deadline.ts)
 * made both for every check (docs/benchmarks.md, "Where the time goes now"). Any other
 * context is linked through its signal.
 */
export function linkToDeadline(ctx: { readonly signal: AbortSignal }, listener: (reason: unknown) => void): () => void {
  const link = (ctx as Partial<DeadlineLink>)[ON_DEADLINE];
  if (typeof link === 'function') return link.call(ctx, listener);
  const { signal } = ctx;
  if (signal.aborted) {
    listener(signal.reason);
    return () => undefined;
  }
  const onAbort = () => listener(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * One per check: a class rather than a closure bundle, so a deadline is one object
 * (its methods live on the prototype). A race and a linked probe are told of the
 * abort directly, not through an abort listener on the signal.
 */
class LazyDeadline implements Deadline {
  readonly at: number;
  fired = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onParentAbort: (() => void) | undefined;
  /** Told when the deadline fires: pending races and linked probes. */
  private listeners: Array<(reason: unknown) => void> | undefined;
  private armed = false;
  private disposed = false;

  constructor(
    readonly timeoutMs: number,
    private readonly parent: AbortSignal | undefined,
  ) {
    this.at = Date.now() + timeoutMs;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.fired) this.controller.abort(this.reason);
      else this.arm();
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.fired) return;
    this.fired = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const { listeners } = this;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
    this.dispose();
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.fired) {
      listener(this.reason);
      return () => undefined;
    }
    (this.listeners ??= []).push(listener);
    this.arm();
    return () => {
      const i = this.listeners?.indexOf(listener) ?? -1;
      if (i >= 0) this.listeners!.splice(i, 1);
    };
  }

  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Left registered once `work` settles: a settled promise ignores the reject.
      this.onAbort(reject);
      work.then(resolve, reject);
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.onParentAbort) this.parent?.removeEventListener('abort', this.onParentAbort);
    this.timer = undefined;
    this.onParentAbort = undefined;
  }

  /** Starts the timer and listens to the parent, once. */
  private arm(): void {
    if (this.armed || this.disposed) return;
    this.armed = true;
    const { parent } = this;
    if (parent?.aborted) {
      this.abort(parent.reason);
      return;
    }
    if (parent) {
      this.onParentAbort = () => this.abort(parent.reason);
      parent.addEventListener('abort', this.onParentAbort, { once: true });
    }
    const left = this.at - Date.now();
    if (left <= 0) this.abort(new CheckTimeoutError(this.timeoutMs / 1000));
    else this.timer = setTimeout(() => this.abort(new CheckTimeoutError(this.timeoutMs / 1000)), left);
  }
}
