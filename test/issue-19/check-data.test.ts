/**
 * Issue 19, point 3: startCheck hands values to doCheck through `check.data`, read as
 * `service.data`, with the same result with and without check threads; a value a
 * thread could not receive gives a clear outcome, never a silent 0.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { MemoryStore, ServiceRegistry, type Competition } from '../../src/index.js';
import { scanOnce } from '../support/scan-once.js';

const plugin = join(import.meta.dirname, '../fixtures/plugins/thread-plugin');

const competition: Competition = {
  name: 'data-cup',
  teams: [{ number: 1 }, { number: 2 }],
  services: [
    { name: 'word', type: 'team-word', host: '127.0.0.1', points: 3 },
    { name: 'fn', type: 'uncloneable', host: '127.0.0.1', params: { on: 'data' } },
    { name: 'helper', type: 'uncloneable', host: '127.0.0.1', params: { on: 'service' } },
  ],
  teamInfo: { 1: { word: 'blue-falcon' }, 2: { word: 'red-kite' } },
};

/** One scan of the competition, with `checkThreads` threads (0: none); its results and log lines. */
async function scanWith(checkThreads: number) {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
  const { of } = await scanOnce({ registry: new ServiceRegistry(), store: new MemoryStore(), plugins: [plugin], logger, ...(checkThreads ? { checkThreads } : {}) }, competition);
  return { of, lines };
}

describe('check.data from startCheck to doCheck', () => {
  const runs = [0, 1] as const;
  test.each(runs)('with checkThreads %i: Team Specific Info put in check.data reaches doCheck, read-only', async (threads) => {
    const { of } = await scanWith(threads);
    for (const team of [1, 2]) {
      expect(of(team, 'word')).toMatchObject({ score: 3, error: null });
    }
  });

  test.each(runs)('with checkThreads %i: a function in check.data fails the check with why, before it runs', async (threads) => {
    const { of } = await scanWith(threads);
    const result = of(1, 'fn');
    expect(result.score).toBe(0);
    expect(result.error).toMatch(/^startCheck: check\.data holds a value that cannot be copied to the check's hooks .*could not be cloned/);
  });

  test('a service a thread cannot receive runs in the engine thread, with a warning saying why', async () => {
    const { of, lines } = await scanWith(1);
    expect(of(1, 'helper')).toMatchObject({ score: 1, error: `thread ${threadId}` });
    expect(lines.join('')).toContain("team-1/helper runs in the engine's thread: its service cannot be copied to a check thread");
  });
});
