/**
 * Event-loop stalls of this thread, kept so a check can ask "was this thread stuck while
 * I ran?". A check that failed while the thread that ran it could not read its sockets
 * may have blamed a healthy service for the scanner's own overload (the engine then
 * re-runs it or counts it for nobody: machines/checksRunner.ts).
 *
 * A timer ticks every `TICK_MS`; a tick that comes late by `STALL_FLOOR_MS` or more
 * records a stall (when it ended, how long). One tracker per thread, shared by every
 * scan of the thread and counted: it ticks only while some scan uses it.
 */
import { performance } from 'node:perf_hooks';

/** How often the tracker's timer ticks, ms. */
export const TICK_MS = 20;
/** Stalls shorter than this are not kept, ms (under it, no answer waits long enough to matter). */
export const STALL_FLOOR_MS = 50;
/** Stalls older than this are forgotten, ms (longer than any check's deadline may be). */
const KEEP_MS = 15 * 60_000;

/** One stall: when it ended (performance.now()) and how long the loop was stuck. */
interface Stall {
  readonly endedAt: number;
  readonly ms: number;
}

/** Records this thread's event-loop stalls while at least one user holds it. */
export class LoopStallTracker {
  private users = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private readonly stalls: Stall[] = [];

  /** Starts ticking (if not yet); returns the function that lets go. */
  hold(): () => void {
    this.users++;
    if (!this.timer) {
      this.lastTick = performance.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--this.users === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /**
   * The longest stall since `since` (performance.now()), ms: stalls that ended after it
   * (counted from `since` at most) and the one going on now, if the loop is late at this
   * very moment (a deadline timer that fires in the same turn as a late tick). 0 when
   * nobody holds the tracker.
   */
  worstSince(since: number): number {
    if (!this.timer) return 0;
    const now = performance.now();
    let worst = Math.max(0, now - this.lastTick - TICK_MS);
    if (worst < STALL_FLOOR_MS) worst = 0;
    for (let i = this.stalls.length - 1; i >= 0; i--) {
      const stall = this.stalls[i]!;
      if (stall.endedAt <= since) break;
      worst = Math.max(worst, Math.min(stall.ms, stall.endedAt - since));
    }
    return Math.round(worst);
  }

  private tick(): void {
    const now = performance.now();
    const late = now - this.lastTick - TICK_MS;
    this.lastTick = now;
    if (late < STALL_FLOOR_MS) return;
    this.stalls.push({ endedAt: now, ms: late });
    while (this.stalls.length > 0 && this.stalls[0]!.endedAt < now - KEEP_MS) this.stalls.shift();
  }
}

/** This thread's tracker. */
export const loopStalls = new LoopStallTracker();
