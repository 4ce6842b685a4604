import { describe, expect, test } from 'vitest';
import { competitionOf, recordingType, registryOf, runScan } from '../support/recording-types.js';

describe('each check result is persisted exactly once', () => {
  test('a mixed scan: every check started once, finished once, one result event each', async () => {
    const registry = registryOf(
      recordingType('ok', []),
      recordingType('slow', [], { behaviour: { do: 'hang' } }),
      recordingType('boom', [], { behaviour: { do: 'throw', message: 'x' } }),
      recordingType('mute', [], { behaviour: { do: 'nothing' } }),
      recordingType('bulk', [], { kind: 'mass' }),
    );
    const services = [
      { name: 'a', type: 'ok' },
      { name: 'b', type: 'slow', timeoutMs: 20 },
      { name: 'c', type: 'boom' },
      { name: 'd', type: 'mute' },
      { name: 'e', type: 'bulk' },
      { name: 'f', type: 'ok', credentials: { from: 'pool' as const, pool: 'empty' } },
    ];
    const teams = 7;
    const { store, results, summary } = await runScan(registry, competitionOf(teams, services, { pools: { empty: {} } }), { concurrency: 3 });
    const total = teams * services.length;
    expect(summary.checks).toBe(total);
    expect(store.checks.size).toBe(total);
    expect(store.writes).toHaveLength(total);
    expect(new Set(store.writes.map((w) => w.checkId)).size).toBe(total);
    expect(results).toHaveLength(total);
    expect([...store.checks.values()].every((c) => c.record.status === 'finished')).toBe(true);
    for (const r of results) {
      if (r.score === 0) expect(r.error).toBeTruthy();
    }
  });
});
