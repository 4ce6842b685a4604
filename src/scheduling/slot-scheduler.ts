/**
 * One team's check starts under the scan-wide limiter. A team first takes free slots
 * straight from the limiter, up to its fair share, so every team's first checks leave in
 * the first wave; for the rest it waits in the limiter's queue, one grant at a time.
 * Each ended check gives its slot back and lets the next one start.
 */
import type { Limiter } from './limiter.js';

/** What a scheduler needs. */
export interface SlotSchedulerOptions {
  /** How many checks (check actors) the team has to start. */
  readonly total: number;
  readonly limiter: Limiter;
  /** Slots taken straight from the limiter before queueing. Default: no limit. */
  readonly fairShare?: number;
  /** Ends the team's reservation at the limiter; called after the first starts. */
  readonly endReservation: () => void;
  /** Starts check number `index` (0-based, in order). Its end must come later, through `checkEnded`. */
  readonly start: (index: number) => void;
}

/** Starts a team's checks as slots allow (see above). */
export class SlotScheduler {
  private next = 0;
  private granted = 0;
  private running = 0;
  private waiting = false;
  private stopped = false;
  private readonly fairShare: number;

  constructor(private readonly options: SlotSchedulerOptions) {
    this.fairShare = options.fairShare ?? Infinity;
  }

  /** Whether every check has been started. */
  get allStarted(): boolean {
    return this.next >= this.options.total;
  }

  /** Starts checks while slots are free (or granted); queues at the limiter for the rest. */
  startReady(): void {
    if (this.stopped) return;
    const { limiter, total, start } = this.options;
    while (this.next < total && (this.granted > 0 || (this.running < this.fairShare && limiter.tryAcquire()))) {
      if (this.granted > 0) this.granted--;
      this.running++;
      start(this.next++);
    }
    if (this.next < total && !this.waiting) {
      this.waiting = true;
      limiter.enqueue(this.onGranted);
    }
    // Its direct share taken, the team's reservation ends (the queue may use the rest).
    this.options.endReservation();
    // A slot granted after the last check was started goes straight back.
    for (; this.granted > 0 && this.next >= total; this.granted--) limiter.release();
  }

  /** A started check ended: its slot goes back, and the next check may start. */
  checkEnded(): void {
    if (this.stopped) return;
    this.running--;
    this.options.limiter.release();
    this.startReady();
  }

  /**
   * Starts nothing more of what has not started, and returns those checks' indices; the
   * running ones still end through `checkEnded` (a stopped scan's queued checks).
   */
  cancelUnstarted(): number[] {
    const { total } = this.options;
    const unstarted: number[] = [];
    for (; this.next < total; this.next++) unstarted.push(this.next);
    // A slot granted meanwhile has nothing to start: it goes straight back.
    for (; this.granted > 0; this.granted--) this.options.limiter.release();
    return unstarted;
  }

  /** Starts nothing more and gives back every slot held (running checks' and granted ones). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const { limiter } = this.options;
    for (; this.running > 0; this.running--) limiter.release();
    for (; this.granted > 0; this.granted--) limiter.release();
  }

  private readonly onGranted = (): void => {
    this.waiting = false;
    if (this.stopped) {
      this.options.limiter.release();
      return;
    }
    this.granted++;
    this.startReady();
  };
}
