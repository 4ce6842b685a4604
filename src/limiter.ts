/**
 * A scan-wide limit on checks running at once (10,000 checks must not open 10,000
 * sockets). Synchronous, so an actor can ask inside its own transition; a freed slot is
 * handed straight to the longest waiter.
 */

/** Counts running checks against a maximum; waiters are served first in, first out. */
export class Limiter {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${max}`);
  }

  /** Takes a slot if one is free. */
  tryAcquire(): boolean {
    if (this.active < this.max) {
      this.active++;
      return true;
    }
    return false;
  }

  /** Calls `grant` when a slot is handed over (the slot is then already taken). */
  enqueue(grant: () => void): void {
    this.waiters.push(grant);
  }

  /**
   * Frees a slot, or hands it to the first waiter. The waiter is called on a microtask,
   * never inside the caller's own transition.
   */
  release(): void {
    const next = this.waiters.shift();
    if (next) queueMicrotask(next);
    else this.active = Math.max(0, this.active - 1);
  }

  /** Slots in use. */
  get inUse(): number {
    return this.active;
  }

  /** Actors queued for a slot right now. */
  get waiting(): number {
    return this.waiters.length;
  }
}
