/**
 * A scan-wide limit on checks running at once (10,000 checks must not open 10,000
 * sockets). Synchronous, so an actor can ask inside its own transition; a freed slot is
 * handed to the longest waiter on a microtask.
 *
 * Fair starts: a team takes its share of slots directly (`tryAcquire`) and queues for
 * more (`enqueue`). Slots `reserve`d for teams that have not asked yet are never handed
 * to the queue, so the first teams cannot take every slot while the last ones are still
 * being prepared (docs/benchmarks.md, "Scenarios").
 */

/** Counts running checks against a maximum; waiters are served first in, first out. */
export class Limiter {
  private active = 0;
  private reserved = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${max}`);
  }

  /** Takes a slot if one is free (reserved slots included: they are for direct takers). */
  tryAcquire(): boolean {
    if (this.active < this.max) {
      this.active++;
      return true;
    }
    return false;
  }

  /**
   * Calls `grant` (on a microtask) when a slot is handed over; the slot is then already
   * taken. A free, unreserved slot with nobody ahead in the queue is handed over at once.
   */
  enqueue(grant: () => void): void {
    if (this.waiters.length === 0 && this.active < this.max - this.reserved) {
      this.active++;
      queueMicrotask(grant);
    } else {
      this.waiters.push(grant);
    }
  }

  /** Frees a slot: hands it to the first waiter, unless it is needed for a reservation. */
  release(): void {
    if (this.waiters.length > 0 && this.active <= this.max - this.reserved) queueMicrotask(this.waiters.shift()!);
    else this.active = Math.max(0, this.active - 1);
  }

  /** Keeps `n` slots back from the queue for actors that will take them directly. */
  reserve(n: number): void {
    this.reserved += n;
  }

  /** Ends a reservation of `n` slots; waiters get what it frees. */
  unreserve(n: number): void {
    this.reserved = Math.max(0, this.reserved - n);
    while (this.waiters.length > 0 && this.active < this.max - this.reserved) {
      this.active++;
      queueMicrotask(this.waiters.shift()!);
    }
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
