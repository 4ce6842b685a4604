// `scorekeeper plan`: the capacity plan of a competition file, as text and as JSON.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PlanJson } from '../../src/cli/commands/plan.js';
import { CHECK_COSTS } from '../../src/planning/check-cost.js';
import { runCli } from './run-cli.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/sizing-100-teams.yaml');

describe('scorekeeper plan', () => {
  test('--json: checks by type, CPU from the cost table, both concurrencies and round times', async () => {
    const r = await runCli(['plan', '--config', EXAMPLE, '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan).toMatchObject({ competition: 'Sizing example', teams: 100, checks: 1200, intervalMs: 60_000, concurrency: 50, threads: 0 });
    expect(plan.byType.find((t) => t.type === 'http')).toMatchObject({ checks: 200, cpuMsPerCheck: CHECK_COSTS.http!.cpuMs, measured: true });
    expect(plan.worstCaseConcurrency).toBe(200); // 1,200 checks × 10 s in 60 s
    expect(plan.worstCaseRoundSeconds).toBe(240); // 12,000 slot-seconds over 50 slots
    expect(plan.typicalRoundSeconds).toBeLessThan(60);
  });

  test('the text names every type, the suggestion and the worst-case warning', async () => {
    const r = await runCli(['plan', '--config', EXAMPLE]);
    expect(r.code).toBe(0);
    for (const type of ['ssh', 'ftp', 'imap', 'pop3', 'ldap', 'mysql', 'postgresql', 'redis', 'dns', 'http', 'tcp']) expect(r.stdout).toMatch(new RegExp(`^${type}\\s+\\d+`, 'm'));
    expect(r.stdout).toContain('suggested scan.threads: 0');
    expect(r.stdout).toContain('Warning: in the worst case a round (240 s) outlasts its 60 s interval: raise scan.concurrency to 200');
  });

  test('without --config it is a usage error', async () => {
    const r = await runCli(['plan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('plan: --config FILE is required');
  });
});
