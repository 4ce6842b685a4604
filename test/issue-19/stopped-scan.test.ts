/**
 * Issue 19, point 4: a stopped scan penalises nobody. Checks still running when
 * `ScanHandle.stop()` is called, and queued ones that never started, are stored
 * `interrupted`, write no round_scores row, come out of results$ and `results` as
 * interrupted, and the summary counts them apart; checks that finished before the stop
 * keep their scores. With and without check threads.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type CheckResult, type Competition } from '../../src/index.js';
import { schemaStore, type SchemaStore } from '../support/pg.js';

// 'where' reports 1 point at once; 'hang' waits for its deadline or a stop.
const plugin = join(import.meta.dirname, '../fixtures/plugins/thread-plugin');

const competition: Competition = {
  name: 'stop-cup',
  teams: [{ number: 1 }],
  services: [
    { name: 'quick', type: 'where', host: '127.0.0.1' },
    { name: 'hang1', type: 'hang', host: '127.0.0.1', timeoutMs: 20_000 },
    { name: 'hang2', type: 'hang', host: '127.0.0.1', timeoutMs: 20_000 },
    { name: 'hang3', type: 'hang', host: '127.0.0.1', timeoutMs: 20_000 },
  ],
};

let pg: SchemaStore | undefined;
afterEach(async () => {
  await pg?.drop();
  pg = undefined;
});

describe('a stopped scan', () => {
  for (const checkThreads of [0, 1]) {
    test(`stores its unfinished checks interrupted, scoring nobody (${checkThreads ? 'check threads' : "engine's thread"})`, async () => {
      pg = schemaStore();
      const store = pg.store;
      // One slot: quick runs, then hang1, while hang2 and hang3 wait in the queue.
      const engine = createEngine({ store, plugins: [plugin], concurrency: 1, checkThreads });
      try {
        await engine.ready();
        const handle = engine.scan(competition);
        const results: CheckResult[] = [];
        const started = new Set<string>();
        handle.results$.subscribe((r) => results.push(r));
        handle.events$.subscribe((e) => {
          if (e.type === 'check.started') started.add(e.serviceId);
          // Stop once hang1 is waiting on its service.
          if (e.type === 'check.state' && e.state === 'checking' && e.serviceIds.includes('team-1/hang1')) handle.stop('stopped by the operator');
        });
        const summary = await handle.summary;

        // 'where' reports its point with a note (its thread) as the error: down, 1 point.
        expect(summary).toMatchObject({ checks: 4, up: 0, down: 1, interrupted: 3 });
        expect([...started].sort()).toEqual(['team-1/hang1', 'team-1/quick']);
        {
          const of = (service: string) => results.find((r) => r.service === service)!;
          expect(of('quick')).toMatchObject({ status: 'finished', score: 1 });
          // Running when stopped, and queued (never started): both interrupted, with the reason.
          for (const service of ['hang1', 'hang2', 'hang3']) {
            expect(of(service)).toMatchObject({ status: 'interrupted', score: 0, error: 'interrupted: stopped by the operator' });
          }
        }

        // What `scorekeeper results` and `scores` read.
        const rows = await store.results({ competition: 'stop-cup' });
        expect(rows.filter((r) => r.status === 'interrupted').map((r) => r.service).sort()).toEqual(['hang1', 'hang2', 'hang3']);
        expect(rows.filter((r) => r.status === 'interrupted').every((r) => r.score === null)).toBe(true);
        const scores = await store.scores('stop-cup');
        for (const team of scores) {
          // Only the finished check scored: 1 of 1 possible point; nothing for the stop.
          expect(team).toMatchObject({ score: 1, points: 1 });
          expect(team.services.map((s) => s.service)).toEqual(['quick']);
        }
      } finally {
        await engine.close();
      }
    });
  }
});
