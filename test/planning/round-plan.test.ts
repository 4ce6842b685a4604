// The capacity plan of a round (scorekeeper plan): pure arithmetic over a competition.
import { describe, expect, test } from 'vitest';
import { UNMEASURED_CHECK_COST, checkCostOf } from '../../src/planning/check-cost.js';
import { planRound, suggestedThreads, typicalRoundSeconds, worstCaseRoundSeconds } from '../../src/planning/round-plan.js';
import type { Competition } from '../../src/types.js';

const costs = { ssh: { cpuMs: 4, latencyMs: 2000 }, http: { cpuMs: 1, latencyMs: 100 } };
const settings = { intervalMs: 60_000, timeoutMs: 10_000, concurrency: 50, threads: 0 };

function competition(teams: number, services: Competition['services'], defaultTimeoutMs?: number): Competition {
  return { name: 'cup', teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1 })), services, ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}) };
}

describe('planRound', () => {
  test("each team's own deadline counts: a team's timeout override", () => {
    const cup = competition(2, [{ name: 'web', type: 'http', host: 'h', timeoutMs: 5000 }]);
    const plan = planRound({ ...cup, teams: [cup.teams[0]!, { number: 2, overrides: { web: { timeoutMs: 20_000 } } }] }, settings, costs);
    expect(plan).toMatchObject({ checks: 2, timeoutMsPerRound: 25_000, maxTimeoutMs: 20_000 });
    expect(plan.byType[0]).toMatchObject({ minTimeoutMs: 5000, maxTimeoutMs: 20_000 });
  });

  test('counts checks by type and prices them from the table', () => {
    const plan = planRound(
      competition(100, [
        { name: 'ssh', type: 'ssh', host: 'h' },
        { name: 'web', type: 'http', host: 'h' },
        { name: 'shop', type: 'http', host: 'h', timeoutMs: 5000 },
      ]),
      settings,
      costs,
    );
    expect(plan).toMatchObject({ competition: 'cup', teams: 100, checks: 300, cpuMsPerRound: 600, maxTimeoutMs: 10_000 });
    expect(plan.byType).toEqual([
      { type: 'ssh', checks: 100, cpuMsPerCheck: 4, measured: true, cpuMsPerRound: 400, minTimeoutMs: 10_000, maxTimeoutMs: 10_000 },
      { type: 'http', checks: 200, cpuMsPerCheck: 1, measured: true, cpuMsPerRound: 200, minTimeoutMs: 5000, maxTimeoutMs: 10_000 },
    ]);
    // worst case: 100 × 10 s + 100 × 10 s + 100 × 5 s = 2,500 s of slots in a 60 s interval
    expect(plan.timeoutMsPerRound).toBe(2_500_000);
    expect(plan.worstCaseConcurrency).toBe(Math.ceil(2_500_000 / 60_000));
    // typical: 100 × 2 s + 200 × 0.1 s = 220 s of slots
    expect(plan.latencyMsPerRound).toBe(220_000);
    expect(plan.typicalConcurrency).toBe(4);
    expect(plan.coresNeeded).toBeCloseTo(0.01);
    expect(plan.suggestedThreads).toBe(0);
  });

  test('the competition default timeout applies where a service sets none', () => {
    const plan = planRound(competition(10, [{ name: 'ssh', type: 'ssh', host: 'h' }], 4000), settings, costs);
    expect(plan.timeoutMsPerRound).toBe(40_000);
    expect(plan.byType[0]).toMatchObject({ minTimeoutMs: 4000, maxTimeoutMs: 4000 });
  });

  test('a slot is never held past the deadline, even by a slow type', () => {
    const plan = planRound(competition(1, [{ name: 'ssh', type: 'ssh', host: 'h', timeoutMs: 500 }]), settings, costs);
    expect(plan.latencyMsPerRound).toBe(500);
  });

  test('a type without a measurement is priced as the most expensive measured one, and says so', () => {
    const plan = planRound(competition(2, [{ name: 'motd', type: 'motd', host: 'h' }]), settings, costs);
    expect(plan.byType[0]).toMatchObject({ type: 'motd', measured: false, cpuMsPerCheck: UNMEASURED_CHECK_COST.cpuMs });
    expect(checkCostOf('toString').measured).toBe(false);
  });

  test('a big competition gets check threads', () => {
    // 1,000 teams × 20 ssh services every 30 s: 20,000 × 4 ms = 80 s of CPU per 30 s
    const plan = planRound(competition(1000, Array.from({ length: 20 }, (_, i) => ({ name: `s${i}`, type: 'ssh', host: 'h' }))), { ...settings, intervalMs: 30_000 }, costs);
    expect(plan.coresNeeded).toBeCloseTo(80 / 30);
    expect(plan.suggestedThreads).toBe(5); // ceil(2.67 / 0.5) = 6 cores: the engine's thread and 5 check threads
  });
});

describe('round times', () => {
  test('worst case: the deadlines shared over the slots, never less than the longest one', () => {
    expect(worstCaseRoundSeconds({ timeoutMsPerRound: 3_000_000, maxTimeoutMs: 10_000, concurrency: 50 })).toBe(60);
    expect(worstCaseRoundSeconds({ timeoutMsPerRound: 30_000, maxTimeoutMs: 10_000, concurrency: 50 })).toBe(10);
  });

  test('typical: slot time over the slots, or CPU over the cores, whichever is longer', () => {
    expect(typicalRoundSeconds({ latencyMsPerRound: 100_000, cpuMsPerRound: 1000, concurrency: 50, threads: 0 })).toBe(2);
    expect(typicalRoundSeconds({ latencyMsPerRound: 1000, cpuMsPerRound: 9000, concurrency: 50, threads: 2 })).toBe(3);
  });

  test('suggested threads: none until one core is half busy, then one per half core, at most 64', () => {
    expect(suggestedThreads(0)).toBe(0);
    expect(suggestedThreads(0.5)).toBe(0);
    expect(suggestedThreads(0.6)).toBe(1);
    expect(suggestedThreads(1000)).toBe(64);
  });
});
