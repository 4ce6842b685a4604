import { describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { OVERLOAD_STALL_MS } from '../../src/scheduling/overload.js';
import type { CheckResult } from '../../src/types.js';
import { competitionOf, recordingType, registryOf } from '../support/recording-types.js';

/** Blocks this thread for `ms`: the scanner's own overload, as a CPU-bound burst makes it. */
function blockThread(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A team's two services: `victim` waits for an answer (a timer) and fails on its first
 * run, passes on any later one; `hog` blocks the thread while the victim waits.
 */
function overloadedRound(blockMs: number, answerAfterMs = 50) {
  let victimRuns = 0;
  const registry = registryOf(
    recordingType('victim', [], {
      behaviour: {
        do: 'custom',
        fn: async (type, service) => {
          victimRuns++;
          await sleep(answerAfterMs);
          if (victimRuns === 1) type.reportScore(service, 0, 'no answer within 0.05 s');
          else type.reportScore(service, service.points, null);
        },
      },
    }),
    recordingType('hog', [], { behaviour: { do: 'custom', fn: (type, service) => { blockThread(blockMs); type.reportScore(service, service.points, null); } } }),
  );
  const competition = competitionOf(1, [{ name: 'victim', type: 'victim', timeoutMs: 4000 }, { name: 'hog', type: 'hog', timeoutMs: 4000 }]);
  return { registry, competition, runs: () => victimRuns };
}

async function scan(blockMs: number, roundMs: number, answerAfterMs?: number) {
  const round = overloadedRound(blockMs, answerAfterMs);
  const engine = createEngine({ registry: round.registry, store: new MemoryStore() });
  const handle = engine.scan(round.competition, { roundMs });
  const results: CheckResult[] = [];
  handle.results$.subscribe((r) => results.push(r));
  const summary = await handle.summary;
  await engine.close();
  return { summary, victim: results.find((r) => r.service === 'victim')!, runs: round.runs() };
}

describe('a check that failed while the scanner was overloaded', () => {
  test('runs again within the round when a second run fits, and its second verdict counts', async () => {
    const { summary, victim, runs } = await scan(OVERLOAD_STALL_MS + 250, 60_000);
    expect(runs).toBe(2);
    expect(victim).toMatchObject({ status: 'finished', score: 1, error: null, attempts: 2 });
    expect(victim.scannerStallMs).toBeGreaterThanOrEqual(OVERLOAD_STALL_MS);
    expect(summary).toMatchObject({ rerun: 1, overloaded: 0, up: 2, down: 0 });
    expect(summary.loopLag.maxMs).toBeGreaterThanOrEqual(OVERLOAD_STALL_MS);
  });

  test('counts for nobody when no second run fits before the round ends', async () => {
    const { summary, victim, runs } = await scan(OVERLOAD_STALL_MS + 250, 3000);
    expect(runs).toBe(1);
    expect(victim).toMatchObject({ status: 'interrupted', score: 0 });
    expect(victim.error).toMatch(/^interrupted: the scanner was overloaded \(its event loop stalled 0\.\d\d s while the check ran\)/);
    expect(summary).toMatchObject({ rerun: 0, overloaded: 1, interrupted: 1, up: 1, down: 0 });
  });

  test('a stall long before the verdict (a burst of starts) leaves the failure the team’s', async () => {
    // The thread stalls 0.5 s at the start; the victim fails 1.5 s later, well inside
    // its 4 s timeout: the stall could not have hidden its answer.
    const { summary, victim, runs } = await scan(OVERLOAD_STALL_MS + 250, 60_000, 1500);
    expect(runs).toBe(1);
    expect(victim).toMatchObject({ status: 'finished', score: 0, error: 'no answer within 0.05 s' });
    expect(victim.scannerStallMs).toBeUndefined();
    expect(summary).toMatchObject({ rerun: 0, overloaded: 0, down: 1 });
  });

  test('a failure while the scanner kept up is the team’s: scored down, run once', async () => {
    const { summary, victim, runs } = await scan(0, 60_000);
    expect(runs).toBe(1);
    expect(victim).toMatchObject({ status: 'finished', score: 0, error: 'no answer within 0.05 s' });
    expect(victim.attempts).toBeUndefined();
    expect(victim.scannerStallMs).toBeUndefined();
    expect(summary).toMatchObject({ rerun: 0, overloaded: 0, down: 1 });
  });
});
