import { describe, expect, test } from 'vitest';
import { StartPacer } from '../../src/scheduling/start-pacer.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}

describe('StartPacer', () => {
  test('runs jobs at once while the turn has time, in order', () => {
    const pacer = new StartPacer(50);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) pacer.run(() => ran.push(i));
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(pacer.waiting).toBe(0);
  });

  test('a burst longer than the slice is spread over turns, with other work between them, in order', async () => {
    const pacer = new StartPacer(5);
    const ran: number[] = [];
    const turns: number[] = [];
    let turn = 0;
    const ticker = setInterval(() => turn++, 0);
    for (let i = 0; i < 40; i++) {
      pacer.run(() => {
        busy(1);
        ran.push(i);
        turns.push(turn);
      });
    }
    expect(ran.length).toBeLessThan(40);
    expect(pacer.waiting).toBe(40 - ran.length);
    while (pacer.waiting > 0) await new Promise((r) => setImmediate(r));
    clearInterval(ticker);
    expect(ran).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // Other work (the interval) ran between slices: the jobs saw several turns.
    expect(new Set(turns).size).toBeGreaterThan(3);
  });

  test('a job that arrives while others wait goes behind them', async () => {
    const pacer = new StartPacer(1);
    const ran: string[] = [];
    pacer.run(() => busy(3));
    pacer.run(() => ran.push('a'));
    pacer.run(() => ran.push('b'));
    await new Promise((r) => setImmediate(r));
    pacer.run(() => ran.push('c'));
    while (pacer.waiting > 0) await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
