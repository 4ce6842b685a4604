import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { runEngineCost } from '../bench/scenarios/engine-cost.js';
import { runHttpOverhead, type HttpOverheadResult } from '../bench/scenarios/http-overhead.js';
import { runHungChecks } from '../bench/scenarios/hung-checks.js';

// Tiny runs of every benchmark scenario, so `npm run bench` keeps working and what it
// reports stays plausible. The bands are wide (a loaded CI machine, a few checks), but a
// scenario that lost checks, timed nothing, or divided by zero falls outside them.

/** The process's CPU time over `wallMs` of wall time cannot exceed every core busy all along (plus timer slack). */
const cpuCeilingMs = (wallMs: number) => (wallMs + 50) * availableParallelism();

describe('benchmark scenarios (smoke)', () => {
  test('engine cost: every planned no-op check ran and was up, the figures agree with each other', async () => {
    const r = await runEngineCost({ checks: 300, servicesPerTeam: 30, store: 'memory', inspect: true, scans: 2 });
    expect(r).toMatchObject({ checks: 300, up: 300 });
    expect(r.wallMs).toBeGreaterThan(0);
    expect(r.wallMs).toBeLessThan(30_000);
    expect(r.usPerCheck).toBeCloseTo((r.wallMs * 1000) / 300, 6);
    // a no-op check costs microseconds to a few milliseconds; 100 ms each means something waits
    expect(r.usPerCheck).toBeLessThan(100_000);
    expect(r.cpuUsPerCheck).toBeGreaterThan(0);
    expect((r.cpuUsPerCheck * 300) / 1000).toBeLessThan(cpuCeilingMs(r.wallMs));
    expect(r.maxRssMb).toBeGreaterThan(10);
    expect(r.maxRssMb).toBeLessThan(4096);
  });

  test('hung checks: exactly the hung share times out, and the scan ends at their deadline, not long after', async () => {
    const timeoutMs = 200;
    const r = await runHungChecks({ checks: 100, hungShare: 0.1, timeoutMs, store: 'memory' });
    // 5 teams × 20 services, 2 of each team's 20 never answer
    expect(r).toMatchObject({ checks: 100, timedOut: 10 });
    expect(r.wallMs).toBeGreaterThanOrEqual(timeoutMs - 5); // a timer may fire a millisecond early
    expect(r.wallMs).toBeLessThan(timeoutMs + 2000);
  });

  test('HTTP overhead: the engine and the bare loop make the same successful requests, in plausible time', async () => {
    const base = { teams: 3, services: 2, concurrency: 4, store: 'memory' as const };
    const engine = await runHttpOverhead({ ...base, mode: 'engine' });
    const threaded = await runHttpOverhead({ ...base, mode: 'engine', threads: 1 });
    const bare = await runHttpOverhead({ ...base, mode: 'bare' });
    expect(engine).toMatchObject({ mode: 'engine', checks: 6, ok: 6 });
    expect(threaded).toMatchObject({ mode: 'engine', checks: 6, ok: 6 });
    expect(bare).toMatchObject({ mode: 'bare', checks: 6, ok: 6 });
    const plausible = (r: HttpOverheadResult) => {
      for (const [wall, cpu] of [
        [r.firstRoundMs, r.firstRoundCpuMs],
        [r.wallMs, r.cpuMs],
      ] as const) {
        expect(wall).toBeGreaterThan(0);
        expect(wall).toBeLessThan(30_000); // six requests to 127.0.0.x
        expect(cpu).toBeGreaterThan(0);
        expect(cpu).toBeLessThan(cpuCeilingMs(wall));
      }
    };
    [engine, threaded, bare].forEach(plausible);
    // What `npm run bench` reports: engine over bare, cold and warm. Finite and within a
    // sane band: the engine is not free, but not a hundred times a bare request either.
    for (const side of [engine, threaded]) {
      for (const ratio of [side.firstRoundMs / bare.firstRoundMs, side.wallMs / bare.wallMs, side.cpuMs / bare.cpuMs]) {
        expect(Number.isFinite(ratio)).toBe(true);
        expect(ratio).toBeGreaterThan(0.05);
        expect(ratio).toBeLessThan(100);
      }
    }
  });
});
