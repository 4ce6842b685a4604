import { describe, expect, test } from 'vitest';
import { NO_EXTERNAL_REPORT } from '../../src/checks/external.js';
import { createEngine } from '../../src/engine.js';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { ServiceRegistry } from '../../src/registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { CheckResult } from '../../src/types.js';
import { competitionOf } from '../support/recording-types.js';

describe('external checks', () => {
  test('a report filed during the round is its score; none means 0 "no external report"', async () => {
    const registry = new ServiceRegistry();
    registerBuiltinChecks(registry);
    const store = new MemoryStore();
    const engine = createEngine({ registry, store });
    const competition = competitionOf(4, [{ name: 'inject', type: 'external', points: 10, timeoutMs: 300 }]);
    const handle = engine.scan(competition);
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    // File reports once the round's external checks are open.
    let filed = 0;
    handle.events$.subscribe((e) => {
      if (e.type === 'check.state' && e.state === 'checking' && ++filed === 4) {
        void engine.reportExternal({ competition: competition.name, team: 1, service: 'inject', score: 7, points: 10, error: null });
        void engine.reportExternal({ competition: competition.name, team: 2, service: 'inject', score: 4, points: 10, error: 'first report' });
        void engine.reportExternal({ competition: competition.name, team: 2, service: 'inject', score: 9, points: 10, error: 'late correction' });
        void engine.reportExternal({ competition: competition.name, team: 4, service: 'inject', score: 10, points: 10, error: 'slow, all pages there' });
      }
    });
    const summary = await handle.summary;
    const by = (team: number) => results.find((r) => r.team === team)!;
    expect(by(1)).toMatchObject({ score: 7, error: null });
    expect(by(2)).toMatchObject({ score: 9, error: 'late correction' }); // the latest report wins
    expect(by(3)).toMatchObject({ score: 0, error: NO_EXTERNAL_REPORT });
    // a full score with a message is up, the message kept as a warning
    expect(by(4)).toMatchObject({ score: 10, error: null });
    expect(by(4).warnings).toContain('slow, all pages there');
    expect(summary).toMatchObject({ checks: 4, up: 2, down: 2, timedOut: 0 });
    expect(store.writes.find((w) => w.team === 1)).toMatchObject({ score: 7 });
  });
});
