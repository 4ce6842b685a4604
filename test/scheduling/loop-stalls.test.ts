import { describe, expect, test } from 'vitest';
import { LoopStallTracker, STALL_FLOOR_MS, TICK_MS } from '../../src/scheduling/loop-stalls.js';

function blockThread(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}
const turn = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LoopStallTracker', () => {
  test('reports a stall that happened since a moment, and none before it', async () => {
    const tracker = new LoopStallTracker();
    const letGo = tracker.hold();
    await turn(TICK_MS * 2);
    const before = performance.now();
    blockThread(200);
    await turn(TICK_MS * 2);
    expect(tracker.worstSince(before)).toBeGreaterThanOrEqual(150);
    expect(tracker.worstSince(performance.now())).toBe(0);
    letGo();
  });

  test('sees a stall going on right now (a deadline firing in the same turn as a late tick)', async () => {
    const tracker = new LoopStallTracker();
    const letGo = tracker.hold();
    await turn(TICK_MS * 2);
    const since = performance.now();
    blockThread(STALL_FLOOR_MS + 100);
    expect(tracker.worstSince(since)).toBeGreaterThanOrEqual(STALL_FLOOR_MS + 50);
    letGo();
  });

  test('says 0 when nobody holds it, and stops ticking when the last user lets go', async () => {
    const tracker = new LoopStallTracker();
    const since = performance.now();
    blockThread(STALL_FLOOR_MS + 50);
    expect(tracker.worstSince(since)).toBe(0);
    const a = tracker.hold();
    const b = tracker.hold();
    a();
    a();
    blockThread(STALL_FLOOR_MS + 50);
    expect(tracker.worstSince(since)).toBeGreaterThan(0);
    b();
    expect(tracker.worstSince(since)).toBe(0);
  });
});
