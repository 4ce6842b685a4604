/**
 * Game day on the embedded default (issue 20, point 1): while `run` holds the embedded
 * database, every other command works through its socket, and their writes (an external
 * report, a password change) are what the running rounds score.
 */
import { createServer, type Server } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { tempDataDir } from '../support/pg.js';
import { requireBuiltCli, runCli, startCli, type CliProcess } from '../reliability/support/cli.js';
import { waitUntil } from '../reliability/support/wait-until.js';

const ADMIN_TOKEN = 'game-day-admin-token-0123456789';

let dir: string;
let config: string;
let web: Server;
let running: CliProcess | undefined;

/** A page behind basic auth that lets in `scoring` with password `new-1` only. */
async function startBasicAuthServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('scoring:new-1').toString('base64')}`;
    res.writeHead(ok ? 200 : 401, { 'WWW-Authenticate': 'Basic realm="x"' }).end(ok ? 'welcome' : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The lines of the run's results table for round `n` (the table printed just before its summary line). */
function roundTable(stdout: string, n: number): string {
  const lines = stdout.split('\n');
  const end = lines.findIndex((l) => l.startsWith(`game-day round ${n}:`));
  if (end < 0) return '';
  let start = end - 1;
  while (start > 0 && !/round \d+:/.test(lines[start - 1]!)) start--;
  return lines.slice(start, end).join('\n');
}

beforeAll(() => requireBuiltCli());

beforeEach(async () => {
  web = await startBasicAuthServer();
  dir = await tempDataDir({ initialized: true });
  config = join(dir, 'competition.yaml');
  writeFileSync(
    config,
    `name: game-day
scan: { interval: 15, jitter: 0, timeout: 15 }
teams: [{ number: 1 }, { number: 2 }]
services:
  - name: web
    type: http
    host: 127.0.0.1
    port: ${(web.address() as AddressInfo).port}
    timeout: 2
    params: { path: /, auth: basic }
    credentials: { username: scoring, passwordKey: web_password }
  - { name: inject, type: external, host: 127.0.0.1, points: 5 }
teamInfo:
  1: { web_password: old-1 }
  2: { web_password: old-2 }
tokens:
  admin: "${ADMIN_TOKEN}"
`,
  );
});

afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  running = undefined;
  await new Promise<void>((resolve) => web.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('game day: every command while run holds the embedded database', () => {
  test('reads and writes work meanwhile, and the writes reach the running rounds', async () => {
    running = startCli(['run', '--config', config, '--data', dir, '--serve', '0', '--rounds', '3']);
    const run = running;
    const printed = (text: string) => () => {
      if (run.child.exitCode !== null) throw new Error(`run exited ${run.child.exitCode}: ${run.stderr()}`);
      return run.stdout().includes(text);
    };
    await waitUntil('round 1 to end', printed('game-day round 1:'), 120_000);
    const url = /visualizer: (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout())?.[1];
    expect(url, run.stdout()).toBeDefined();
    expect(roundTable(run.stdout(), 1)).toMatch(/1\s+web\s+http\s+0\/1\s+HTTP 401/);

    // Round 2 runs now, its external window open for 15 s: file into it.
    await waitUntil('round 2 to start', async () => (await runCli(['results', '--config', config, '--data', dir, '--round', '2'])).stdout.includes('inject'), 30_000);
    let started = performance.now();
    const [report, pcr] = await Promise.all([
      runCli(['report', '--config', config, '--data', dir, '--team', '1', '--service', 'inject', '--score', '3']),
      runCli(['pcr', '--config', config, '--data', dir, '--team', '1', '--key', 'web_password', '--value', 'new-1']),
    ]);
    console.log(`game day: report and pcr beside a running 'run' answered in ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    const [results, scores, exported, stuck, migrate, scan] = await Promise.all([
      runCli(['results', '--config', config, '--data', dir]),
      runCli(['scores', '--config', config, '--data', dir]),
      runCli(['export', '--config', config, '--data', dir, '--format', 'csv']),
      runCli(['stuck', '--url', url!, '--token', ADMIN_TOKEN]),
      runCli(['migrate', '--data', dir]),
      runCli(['scan', '--config', config, '--data', dir]),
    ]);
    console.log(`game day: six more commands beside a running 'run' answered in ${Math.round(performance.now() - started)} ms`);
    for (const r of [report, pcr, results, scores, exported, stuck, migrate]) expect(r.code, r.stderr).toBe(0);
    expect(report.stdout).toMatch(/team 1 inject: 3\/5 filed for round 2/);
    expect(pcr.stdout).toMatch(/team 1: 'web_password' changed; applies from round (\d+)/);
    expect(results.stdout).toContain('web');
    expect(scores.stdout).toMatch(/1\s/);
    expect(exported.stdout.split('\n')[0]).toContain('round');
    expect(stuck.stdout).toContain('no stuck checks');
    // An engine needs the folder for itself: a second one is told who holds it, at once.
    expect(scan.code).toBe(4);
    expect(scan.stderr).toMatch(/embedded database .* is in use by 'scorekeeper run' \(process \d+\); stop it first/);

    const applies = Number(/applies from round (\d+)/.exec(pcr.stdout)![1]);
    await waitUntil(`round ${applies} to end`, printed(`game-day round ${applies}:`), 120_000);
    // The report counted in the round it was filed for, the new password from its round on.
    expect(roundTable(run.stdout(), 2)).toMatch(/1\s+inject\s+external\s+3\/5/);
    expect(roundTable(run.stdout(), applies)).toMatch(/1\s+web\s+http\s+1\/1/);
    expect(roundTable(run.stdout(), applies)).toMatch(/2\s+web\s+http\s+0\/1\s+HTTP 401/);

    expect((await run.exited).code, run.stderr()).toBe(0);
    // With no holder, a command opens the folder itself, as before.
    const after = await runCli(['scores', '--config', config, '--data', dir]);
    expect(after.code, after.stderr).toBe(0);
  }, 240_000);
});
