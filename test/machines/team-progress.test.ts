import { describe, expect, test } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { PROGRESS_MS, progressIntervalMs, SCAN_PROGRESS_PER_SECOND } from '../../src/scan/progress-interval.js';
import { competitionOf, recordingType, registryOf, runScan } from '../support/recording-types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a team's counts while its checks run (checks.progress)", () => {
  test('reach the team chart at the first result, then at most once per interval', async () => {
    // Five checks ending 0, 150, 300, 450 and 600 ms into the scan: one interval (1 s)
    // holds them all, so the chart sees the first count and then the final one, not five.
    const registry = registryOf(
      recordingType('staggered', [], {
        behaviour: { do: 'custom', fn: async (type, service) => {
          await sleep(Number(service.name.slice(1)) * 150);
          type.reportScore(service, service.points, null);
        } },
      }),
    );
    const counts: number[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as { machine?: { id: string }; context?: { checks: number } };
      if (snapshot.machine?.id !== 'team' || !snapshot.context) return;
      if (counts.at(-1) !== snapshot.context.checks) counts.push(snapshot.context.checks);
    };
    const services = [0, 1, 2, 3, 4].map((n) => ({ name: `s${n}`, type: 'staggered' }));
    const { summary } = await runScan(registry, competitionOf(1, services), { inspect });
    expect(summary.up).toBe(5);
    expect(counts).toEqual([0, 1, 5]);
  });

  test('a scan sends at most SCAN_PROGRESS_PER_SECOND updates a second in all: large scans space each team out', () => {
    expect(progressIntervalMs(1)).toBe(PROGRESS_MS);
    expect(progressIntervalMs(SCAN_PROGRESS_PER_SECOND)).toBe(PROGRESS_MS);
    for (const teams of [10, 100, 250, 500, 2000]) {
      expect(progressIntervalMs(teams)).toBeGreaterThanOrEqual(PROGRESS_MS);
      expect((teams * 1000) / progressIntervalMs(teams)).toBeLessThanOrEqual(SCAN_PROGRESS_PER_SECOND);
    }
  });
});
