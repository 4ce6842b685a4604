/**
 * Issue 20 point 6: beside the stuck list, the slowest checks still running inside their
 * deadline, with their time left, in /api/stuck's answer and `scorekeeper stuck`.
 */
import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import type { ActorView } from '../../src/inspection/hub-messages.js';
import { slowestChecks } from '../../src/inspection/slowest-checks.js';
import { runCli } from '../cli/run-cli.js';

const check = (id: string, startedAt: number, extra: Partial<ActorView> = {}): ActorView =>
  ({ id, parent: 'team-1', kind: 'check', label: id, team: 1, service: id, state: 'checking', enteredAt: startedAt, startedAt, status: 'active', timeoutMs: 5000, events: [], ...extra });

describe('slowestChecks', () => {
  test('running checks inside their deadline, longest running first, with time left', () => {
    const now = 10_000;
    const list = slowestChecks([
      check('web', 9_000),
      check('ssh', 6_000),
      check('late', 4_000), // past its deadline: the stuck list's, not this one's
      check('done', 6_000, { state: 'ended' }),
      check('stopped', 6_000, { status: 'done' }),
      check('team', 6_000, { kind: 'team' }),
    ], now);
    expect(list.map((s) => [s.service, s.runningMs, s.leftMs])).toEqual([
      ['ssh', 4000, 1000],
      ['web', 1000, 4000],
    ]);
    expect(slowestChecks([check('a', 9_000), check('b', 8_000)], now, 1).map((s) => s.service)).toEqual(['b']);
  });
});

describe('scorekeeper stuck', () => {
  test('prints the slowest running checks after the stuck list', async () => {
    const body = { now: 10_000, graceMs: 2000, stuck: [], slowest: slowestChecks([check('ssh', 6_000)], 10_000) };
    const server = createServer((_req, res) => res.end(JSON.stringify(body)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const out = await runCli(['stuck', '--url', `http://127.0.0.1:${port}`, '--token', 'a-token-of-sixteen-chars']);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('no stuck checks (grace 2 s)\n\nslowest running (inside their deadline):\n');
      expect(out.stdout).toMatch(/^1\s+ssh\s+checking\s+4\.0 s\s+1\.0 s$/m);
    } finally {
      server.close();
    }
  });
});
