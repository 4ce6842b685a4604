/**
 * Issue 20 point 7: `scorekeeper demo` run twice on one data folder starts its own
 * competition each time (round 1, scores of this run only), and its story matches
 * what it prints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { demoCompetitionName } from '../../src/demo/demo-services.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scorekeeper demo', () => {
  test('each run is its own competition: rounds from 1, scores not added to the last run', async () => {
    const data = join(dir, 'data');
    const names: string[] = [];
    for (let run = 0; run < 2; run++) {
      const demo = await runCli(['demo', '--rounds', '1', '--data', data]);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stdout).toContain('3 services each, 1 rounds');
      const rounds = [...demo.stdout.matchAll(/^(demo-\d{8}-\d{6}) round (\d+): 9 checks, 6 up, 3 down \(0 timed out\)/gm)];
      expect(rounds.map((m) => m[2])).toEqual(['1']);
      names.push(rounds[0]![1]!);
      expect(demo.stdout).toMatch(/^Team1\s+20\/20\s+100%$/m);
      // Team3's API is down with "no answer" before its deadline, not a timed-out check
      expect(demo.stdout).toContain('Team3: API accepts connections but never answers (down: no answer before its 2 s deadline)');
      expect(demo.stdout).toMatch(/^3\s+api\s+http\s+0\/5\s+no HTTP answer for \/health within/m);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  test('the competition name is the run time, to the second', () => {
    expect(demoCompetitionName(new Date('2026-12-02T05:58:12.345Z'))).toBe('demo-20261202-055812');
  });
});
