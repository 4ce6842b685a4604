import { describe, expect, test } from 'vitest';
import { startDeadline } from '../../src/lifecycle/deadline.js';
import { CheckTimeoutError } from '../../src/errors.js';

describe('a check deadline', () => {
  test('a signal first read after the deadline passed is already aborted with a timeout', async () => {
    const deadline = startDeadline(20);
    await new Promise((r) => setTimeout(r, 40));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(CheckTimeoutError);
    deadline.dispose();
  });

  test('a raced promise that never settles is rejected at the deadline', async () => {
    const deadline = startDeadline(30);
    const t0 = Date.now();
    await expect(deadline.race(new Promise(() => undefined))).rejects.toBeInstanceOf(CheckTimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    deadline.dispose();
  });

  test('a parent aborted before the signal was made aborts it with the parent reason', () => {
    const parent = new AbortController();
    const deadline = startDeadline(10_000, parent.signal);
    parent.abort(new Error('scan stopped'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('scan stopped');
    deadline.dispose();
  });

  test('a parent aborting later reaches a signal already made; dispose detaches it', () => {
    const parent = new AbortController();
    const first = startDeadline(10_000, parent.signal);
    const signal = first.signal;
    const second = startDeadline(10_000, parent.signal);
    void second.signal;
    second.dispose();
    parent.abort(new Error('stop'));
    expect(signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
    first.dispose();
  });
});
