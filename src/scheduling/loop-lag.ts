/**
 * The event-loop lag of the engine's thread over one scan, from Node's own histogram
 * (`perf_hooks.monitorEventLoopDelay`): how late the thread ran what was due. A lagging
 * scanner reads answers late and may score a healthy service down, so every scan
 * reports it (summary, `scan --json`, the inspector).
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { loopStalls } from './loop-stalls.js';

/** Event-loop lag over a scan, milliseconds. */
export interface LoopLag {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The histogram's sampling resolution, ms (its own timer: 100 ticks a second). */
const RESOLUTION_MS = 10;

/**
 * Measures the lag from its making until `stop`. Its maximum also counts this thread's
 * stall tracker (loop-stalls.ts), which sees a stall before the histogram's first tick
 * (Node's histogram only measures between two of its own ticks).
 */
export class LoopLagMeter {
  private readonly histogram: IntervalHistogram;
  private readonly startedAt = performance.now();

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  /** The lag so far. Node's figures include the resolution's own wait: it is taken off. */
  read(): LoopLag {
    const h = this.histogram;
    const stalled = loopStalls.worstSince(this.startedAt);
    if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: stalled };
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);
    return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: Math.max(ms(h.max), stalled) };
  }

  /** Stops measuring and returns the lag over the whole time. */
  stop(): LoopLag {
    const lag = this.read();
    this.histogram.disable();
    return lag;
  }
}
