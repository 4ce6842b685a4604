import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/daemon.js';
import { runCli } from './run-cli.js';

// The built binary against the embedded default and against the real PostgreSQL.
const dir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
const servers: Server[] = [];
let config = '';
const SECRET = 'Cli-S3cret-Pa55word';
const dbName = `sk_cli_${process.pid}_${Date.now() % 100000}`;
const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });

beforeAll(async () => {
  const up = await freePort();
  const down = await freePort();
  servers.push(
    createServer((s) => {
      s.on('error', () => undefined); // the check closes first
      s.end('220 ready\r\n');
    }),
  );
  await new Promise<void>((r) => servers[0]!.listen(up, '127.0.0.1', r));
  config = join(dir, 'competition.yaml');
  writeFileSync(
    config,
    `name: cli-cup
scan: { interval: 5, timeout: 2, concurrency: 10 }
teams:
  - { number: 1, name: Alpha }
  - { number: 2, name: Bravo }
services:
  - name: mail
    type: tcp
    host: 127.0.0.1
    port: ${up}
    points: 3
    params: { banner: { contains: "220" } }
  - name: api
    type: tcp
    host: 127.0.0.1
    port: ${down}
  - name: portal
    type: tcp
    host: 127.0.0.1
    port: ${up}
    credentials: { username: admin, passwordKey: portal_pw }
  - name: inject
    type: external
    host: 127.0.0.1
    points: 10
    timeout: 1
teamInfo:
  1: { portal_pw: "${SECRET}" }
  2: { portal_pw: "${SECRET}-2" }
`,
  );
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('scorekeeper CLI', { timeout: 180_000 }, () => {
  test('--help, an unknown command, a usage error: exit codes and one line', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: scorekeeper <command>');
    for (const cmd of ['scan', 'run', 'checks', 'results', 'scores', 'export', 'pcr', 'report', 'migrate', 'demo', 'serve', 'stuck', 'replay', 'recover', 'plan']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: scorekeeper ${cmd}`);
    }
    const unknown = await runCli(['scna']);
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: "scorekeeper: unknown command 'scna'; see 'scorekeeper --help'\n" });
    const missing = await runCli(['scan']);
    expect(missing).toMatchObject({ code: 2, stderr: "scorekeeper: scan: --config FILE is required; see 'scorekeeper scan --help'\n" });
    const badOption = await runCli(['scan', '--confg', 'x']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a bad competition file: exit 3, one line per problem, no stack trace', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nteams: [{ number: 1 }]\nservices:\n  - { name: a, type: tcp, host: h, port: abc }\n  - { name: b, type: htp, host: h }\n');
    const r = await runCli(['scan', '--config', bad, '--data', join(dir, 'data-bad')]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain(`${bad}: services[0].port: expected an integer 1..65535, or a template such as "{port}", got "abc"`);
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'name: x\nteams: [{ number: 1 }]\nservices:\n  - { name: b, type: htp, host: h }\n');
    const t = await runCli(['scan', '--config', typo, '--data', join(dir, 'data-bad')]);
    expect(t.code).toBe(3);
    expect(t.stderr.trim().split('\n')).toHaveLength(1);
    expect(t.stderr).toContain(`${typo}: services[0].type:`);
    expect(t.stderr).toContain('http');
    const debug = await runCli(['scan', '--config', bad, '--data', join(dir, 'data-bad'), '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  const stores: Array<[string, NodeJS.ProcessEnv]> = [
    ['the embedded default', {}],
    ['the real PostgreSQL', { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}` }],
  ];
  test.each(stores)('scan --json, results, scores, export, pcr and report on %s', async (_name, env) => {
    const data = join(dir, `data-${env.DATABASE_URL ? 'pg' : 'embedded'}`);
    const scan = await runCli(['scan', '--config', config, '--json', '--data', data], env);
    expect(scan.code, scan.stderr).toBe(0);
    const lines = scan.stdout.trim().split('\n');
    expect(lines).toHaveLength(1); // exactly one JSON document, logs went to stderr
    const doc = JSON.parse(lines[0]!) as { scan: { round: number; checks: number; competition: string }; results: Array<Record<string, unknown>> };
    expect(doc.scan).toMatchObject({ competition: 'cli-cup', round: 1, checks: 8 });
    const get = (team: number, service: string) => doc.results.find((r) => r.team === team && r.service === service);
    expect(get(1, 'mail')).toMatchObject({ type: 'tcp', resolvedType: 'tcp', score: 3, error: null, status: 'finished' });
    expect(get(2, 'api')!.error).toMatch(/^connection refused by 127\.0\.0\.1:\d+$/);
    expect(get(1, 'inject')).toMatchObject({ score: 0, error: 'no external report' });
    expect(Object.keys(get(1, 'mail')!).sort()).toEqual(['durationMs', 'error', 'points', 'resolvedType', 'score', 'service', 'status', 'team', 'type']);
    expect(scan.stderr).toContain('team-1/mail');
    expect(scan.stdout + scan.stderr).not.toContain(SECRET);

    const results = await runCli(['results', '--config', config, '--data', data, '--team', '2'], env);
    expect(results.code, results.stderr).toBe(0);
    expect(results.stdout).toMatch(/1\s+2\s+api\s+tcp\s+finished\s+0\/1\s+connection refused/);
    expect(results.stdout).not.toMatch(/\n1\s+1\s/);

    const scores = await runCli(['scores', '--config', config, '--data', data, '--json'], env);
    const teams = JSON.parse(scores.stdout) as Array<{ team: number; score: number; points: number }>;
    expect(teams.map((t) => [t.team, t.score, t.points])).toEqual([
      [1, 4, 15],
      [2, 4, 15],
    ]);

    const csv = await runCli(['export', '--config', config, '--data', data, '--format', 'csv'], env);
    expect(csv.stdout.split('\n')[0]).toBe('source,round,team,service,type,resolvedType,status,score,points,up,error,startedAt,finishedAt,durationMs,warnings');
    expect(csv.stdout.trim().split('\n')).toHaveLength(9);
    expect(csv.stdout).not.toContain(SECRET);

    const pcr = await runCli(['pcr', '--config', config, '--data', data, '--team', '1', '--key', 'portal_pw', '--value', 'N3w-Pa55'], env);
    expect(pcr).toMatchObject({ code: 0, stdout: "team 1: 'portal_pw' changed; applies from round 2\n" });
    const badKey = await runCli(['pcr', '--config', config, '--data', data, '--team', '1', '--key', 'nope', '--value', 'x'], env);
    expect(badKey).toMatchObject({ code: 2, stderr: "scorekeeper: pcr: no service of 'cli-cup' uses Team Specific Info 'nope'\n" });

    const report = await runCli(['report', '--config', config, '--data', data, '--team', '2', '--service', 'inject', '--score', '7'], env);
    expect(report).toMatchObject({ code: 0, stdout: 'team 2 inject: 7/10 filed for round 1\n' });
    const after = JSON.parse((await runCli(['scores', '--config', config, '--data', data, '--json'], env)).stdout) as Array<{ team: number; score: number }>;
    expect(after.find((t) => t.team === 2)!.score).toBe(11);
    // results shows the report filed after the round, as scores counts it (issue 20 point 7)
    const reported = await runCli(['results', '--config', config, '--data', data, '--team', '2'], env);
    expect(reported.stdout).toMatch(/1\s+2\s+inject\s+external\s+finished\s+7\/10\s*\n/);
    // a full score filed with a message is up in scores, and results keeps the message
    await runCli(['report', '--config', config, '--data', data, '--team', '1', '--service', 'inject', '--score', '10', '--error', 'slow but complete'], env);
    const full = JSON.parse((await runCli(['scores', '--config', config, '--data', data, '--json'], env)).stdout) as Array<{ team: number; services: Array<{ service: string; upRounds: number }> }>;
    expect(full.find((t) => t.team === 1)!.services.find((x) => x.service === 'inject')).toMatchObject({ upRounds: 1 });
    const kept = await runCli(['results', '--config', config, '--data', data, '--team', '1'], env);
    expect(kept.stdout).toMatch(/1\s+1\s+inject\s+external\s+finished\s+10\/10\s+slow but complete/);
    const keptJson = JSON.parse((await runCli(['results', '--config', config, '--data', data, '--team', '1', '--json'], env)).stdout) as Array<{ service: string; up: boolean | null }>;
    expect(keptJson.find((r) => r.service === 'inject')).toMatchObject({ up: true });
  });
});
