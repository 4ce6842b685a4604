/**
 * Text for people on a terminal (issue 20, point 5): the real binary under a
 * pseudo-terminal (util-linux `script`), against servers on 127.0.0.1. On a TTY log lines
 * are pino-pretty's, with a failed check's reason on its line; --quiet hides them;
 * --log-format json keeps JSON lines; off a TTY they are JSON lines. `run` on a TTY shows
 * a progress line with the round's counts and its slowest running check, and between
 * rounds when the next one starts. Secrets stay out of every format.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, requireBuiltCli, runCli } from '../reliability/support/cli.js';
import { waitUntil } from '../reliability/support/wait-until.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-tty-'));
const SECRET = 'Tty-S3cret-Pa55word';
const dbName = `sk_tty_${process.pid}_${Date.now() % 100000}`;
const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}` };
const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
const servers: Server[] = [];
const held: Socket[] = [];
let config = '';

/** Listens on a free port of 127.0.0.1. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Single quotes for sh. */
const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** `scorekeeper ARGS` with a pseudo-terminal as stdin, stdout and stderr (its output: what the terminal got). */
function startOnTerminal(args: readonly string[]) {
  // A pseudo-terminal has no size: give it one, as a terminal window has.
  // The shell says its pid, which `exec` hands to the CLI.
  const command = `stty cols 200 rows 50; echo "cli-pid=$$"; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, TERM: 'xterm' } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, closed };
}

/** Runs `scorekeeper ARGS` on a pseudo-terminal to the end. */
async function runOnTerminal(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const run = startOnTerminal(args);
  const code = await run.closed;
  return { code, output: run.output() };
}

/** What a person reads: colours and line clearing removed, \r\n as \n. */
const ESC = String.fromCharCode(27);
const plain = (text: string) => text.replaceAll(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g'), '').replaceAll('\r\n', '\n');

beforeAll(async () => {
  requireBuiltCli();
  execFileSync('script', ['--version']);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  // A page that answers with a redirect carrying the password it was sent (a hostile server).
  const web = await listen(
    createHttpServer((req, res) => {
      const password = Buffer.from((req.headers.authorization ?? ' ').split(' ')[1] ?? '', 'base64').toString().split(':')[1] ?? '';
      res.writeHead(302, { Location: `/login?pw=${password}` }).end();
    }),
  );
  // Accepts and never answers: a check waiting for its banner hangs to its deadline.
  const hang = await listen(createServer((socket) => void held.push(socket)));
  const closed = await listen(createServer());
  servers.pop()!.close();
  config = join(dir, 'competition.yaml');
  writeFileSync(
    config,
    `name: tty-cup
scan: { interval: 4, jitter: 0, timeout: 3 }
teams: [{ number: 1 }]
services:
  - { name: closed, type: tcp, host: 127.0.0.1, port: ${closed} }
  - { name: hang, type: tcp, host: 127.0.0.1, port: ${hang}, timeout: 2, params: { banner: { contains: "220" } } }
  - name: web
    type: http
    host: 127.0.0.1
    port: ${web}
    params: { path: /, auth: basic }
    credentials: { username: scoring, passwordKey: web_password }
teamInfo:
  1: { web_password: "${SECRET}" }
`,
  );
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  for (const server of servers) server.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

// Each test spawns the CLI several times: generous on a loaded machine.
describe('log lines and progress on a terminal (issue 20, point 5)', { timeout: 120_000 }, () => {
  test('scan on a TTY: pretty lines with the reason of a FAIL, before the table; no JSON, no secret', async () => {
    const { code, output } = await runOnTerminal(['scan', '--config', config]);
    const text = plain(output);
    expect(code, text).toBe(0);
    expect(text).not.toContain('{"level"');
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO: team-1\/closed: FAIL Team1 : TCP connect to 127\.0\.0\.1:\d+ — connection refused by 127\.0\.0\.1:\d+$/m);
    expect(text).toMatch(/team-1\/web: FAIL Team1 : HTTP GET \/ as scoring to 127\.0\.0\.1:\d+ — HTTP 302 .*\[redacted\]/);
    // The check lines come before the table, and the transport's worker left nothing open.
    expect(text.indexOf('team-1/closed: FAIL')).toBeLessThan(text.indexOf('team  service'));
    expect(text).toMatch(/tty-cup round \d+: 3 checks, 0 up, 3 down \(0 timed out\)/);
    expect(text).not.toContain('still open');
    expect(output).not.toContain(SECRET);
  });

  test('scan --quiet on a TTY prints no log line; --log-format json prints JSON lines there', async () => {
    const quiet = plain((await runOnTerminal(['scan', '--config', config, '--quiet'])).output);
    expect(quiet).toMatch(/tty-cup round \d+: 3 checks/);
    expect(quiet).not.toContain('FAIL');
    expect(quiet).not.toContain('{"level"');
    const json = await runOnTerminal(['scan', '--config', config, '--log-format', 'json']);
    const lines = plain(json.output).split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const closed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.service === 'closed');
    expect(closed).toMatchObject({ level: 30, ok: false, msg: expect.stringContaining('FAIL') as unknown, reason: expect.stringMatching(/^connection refused/) as unknown });
    expect(json.output).not.toContain(SECRET);
  });

  test('off a terminal: JSON lines on stderr, --log-format pretty gives plain text (no escapes), run prints no progress line', async () => {
    const auto = await runCli(['scan', '--config', config], env);
    expect(auto.code, auto.stderr).toBe(0);
    const lines = auto.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('level');
    const pretty = await runCli(['scan', '--config', config, '--log-format', 'pretty'], env);
    expect(pretty.stderr).toMatch(/^\d\d:\d\d:\d\d INFO: team-1\/closed: FAIL .* — connection refused/m);
    expect(pretty.stderr).not.toContain(ESC);
    expect(pretty.stdout).not.toContain('\r');
    expect(auto.stdout + auto.stderr + pretty.stdout + pretty.stderr).not.toContain(SECRET);
    const bad = await runCli(['scan', '--config', config, '--log-format', 'xml'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("scorekeeper: scan: --log-format must be auto, json or pretty, got 'xml'");
    const run = await runCli(['run', '--config', config, '--rounds', '1'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tty-cup round \d+: 3 checks/m);
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain('slowest');
  });

  test('run on a TTY: a progress line with done/total and the slowest running check, then when the next round starts', async () => {
    const { code, output } = await runOnTerminal(['run', '--config', config, '--rounds', '2']);
    const text = plain(output);
    expect(code, text).toBe(0);
    // While the hanging check runs, the two others are done.
    expect(output).toMatch(new RegExp(`\r${ESC}\\[Kround \\d+: 2/3 checks, 0 up, 2 down, 0 timed out · slowest team-1/hang \\d+\\.\\d s`));
    expect(output).toMatch(new RegExp(`\r${ESC}\\[Kround \\d+ at \\d\\d:\\d\\d:\\d\\d \\(in \\d+ s\\)`));
    expect(text).toMatch(/tty-cup round \d+: 3 checks, 0 up, 3 down \(0 timed out\)/);
    expect(text).not.toContain('{"level"');
    expect(text).not.toContain('still open');
    expect(output).not.toContain(SECRET);
  });

  test('the terminal closes mid-round (SIGHUP through the pretty transport): the round finishes, is saved, and the process exits', async () => {
    const run = startOnTerminal(['run', '--config', config, '--rounds', '5']);
    await waitUntil('the progress line waiting for the hanging check', () => run.output().includes('slowest team-1/hang'), 60_000);
    const cli = Number(/cli-pid=(\d+)/.exec(run.output())?.[1]);
    expect(cli).toBeGreaterThan(0);
    const before = (await runCli(['results', '--config', config], env)).stdout;
    run.child.kill('SIGKILL'); // the terminal goes away: the kernel sends the CLI SIGHUP
    await run.closed;
    await waitUntil('the CLI to exit', () => {
      try {
        process.kill(cli, 0);
        return false;
      } catch {
        return true;
      }
    }, 60_000);
    const after = await runCli(['results', '--config', config], env);
    expect(after.code, after.stderr).toBe(0);
    const round = Math.max(...[...after.stdout.matchAll(/^(\d+)\s+1\s+/gm)].map((m) => Number(m[1])));
    const rows = after.stdout.split('\n').filter((l) => l.startsWith(`${round} `));
    expect(rows, `${before}\n---\n${after.stdout}`).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/\bfinished\b/);
  });
});
