import { describe, expect, test } from 'vitest';
import { runEngineCost } from '../bench/scenarios/engine-cost.js';
import { runHttpOverhead } from '../bench/scenarios/http-overhead.js';
import { runHungChecks } from '../bench/scenarios/hung-checks.js';

// Tiny runs of every benchmark scenario, so `npm run bench` keeps working.
describe('benchmark scenarios (smoke)', () => {
  test('engine cost: every no-op check up, figures reported', async () => {
    const r = await runEngineCost({ checks: 300, servicesPerTeam: 30, store: 'memory', inspect: true, scans: 2 });
    expect(r).toMatchObject({ checks: 300, up: 300 });
    expect(r.usPerCheck).toBeGreaterThan(0);
    expect(r.maxRssMb).toBeGreaterThan(0);
  });

  test('hung checks: the hung share times out, the scan ends', async () => {
    const r = await runHungChecks({ checks: 100, hungShare: 0.1, timeoutMs: 200, store: 'memory' });
    expect(r).toMatchObject({ checks: 100, timedOut: 10 });
  });

  test('HTTP overhead: the engine and the bare loop make the same successful requests', async () => {
    const base = { teams: 3, services: 2, concurrency: 4, store: 'memory' as const };
    const engine = await runHttpOverhead({ ...base, mode: 'engine' });
    const threaded = await runHttpOverhead({ ...base, mode: 'engine', threads: 1 });
    const bare = await runHttpOverhead({ ...base, mode: 'bare' });
    expect(engine).toMatchObject({ mode: 'engine', checks: 6, ok: 6 });
    expect(threaded).toMatchObject({ mode: 'engine', checks: 6, ok: 6 });
    expect(bare).toMatchObject({ mode: 'bare', checks: 6, ok: 6 });
    for (const r of [engine, threaded, bare]) {
      expect(r.firstRoundMs).toBeGreaterThan(0);
      expect(r.firstRoundCpuMs).toBeGreaterThan(0);
      expect(r.cpuMs).toBeGreaterThan(0);
    }
  });
});
