/**
 * Paces check starts so that starting thousands of checks never holds the thread for
 * long: starts run at once while this turn of the event loop has spent less than
 * `SLICE_MS` on them, and the rest wait for the next turn (setImmediate, after the
 * thread has read its sockets). A round of 10,000 checks whose teams' database steps
 * answer together would otherwise start them in one turn and stall the thread for a
 * second, while earlier checks' answers wait unread (docs/benchmarks.md, "Rounds that fit").
 * A check's deadline starts when the check does, so waiting here costs it nothing.
 */
import { performance } from 'node:perf_hooks';

/** Time one turn of the event loop may spend starting checks, ms. */
export const SLICE_MS = 8;

/** Runs jobs in order, at most `sliceMs` of them per event-loop turn. */
export class StartPacer {
  private queue: Array<() => void> = [];
  /** Index of the next job in `queue` (a head index: shifting 10,000 jobs one by one is quadratic). */
  private head = 0;
  /** When this turn's first start ran (performance.now()); undefined between turns. */
  private turnStartedAt: number | undefined;
  private draining = false;

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Jobs waiting for a later turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Runs `job` now if this turn has time left and nothing is waiting; else in a later turn, in order. */
  run(job: () => void): void {
    if (this.waiting === 0 && this.hasTime()) {
      job();
      return;
    }
    this.queue.push(job);
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drain);
    }
  }

  /** Whether this turn has time left for starts (the first call of a turn opens its budget). */
  private hasTime(): boolean {
    if (this.turnStartedAt === undefined) {
      this.openTurn();
      return true;
    }
    return performance.now() - this.turnStartedAt < this.sliceMs;
  }

  private openTurn(): void {
    this.turnStartedAt = performance.now();
    setImmediate(() => (this.turnStartedAt = undefined));
  }

  private readonly drain = (): void => {
    if (this.turnStartedAt === undefined) this.openTurn();
    while (this.waiting > 0 && this.hasTime()) {
      const job = this.queue[this.head]!;
      this.queue[this.head++] = undefined as never;
      job();
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.waiting > 0) {
      setImmediate(this.drain);
    } else {
      this.queue = [];
      this.head = 0;
      this.draining = false;
    }
  };
}

/** This thread's pacer: every scan's check starts share one budget per turn. */
export const checkStarts = new StartPacer();
