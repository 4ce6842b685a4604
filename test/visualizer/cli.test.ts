/**
 * The visualizer's commands in-process: `run --record --serve` against a local TCP
 * service on the embedded store (the recording and the served API hold no secret), then
 * `replay` over that recording.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { readRecording } from '../../src/inspection/read-recording.js';
import { tempDataDir } from '../support/pg.js';
import { SECRETS, assertNoSecrets, bearer, http } from './support.js';

let dir: string;
let dataDir: string;
let banner: Server;
let port: number;

describe('visualizer commands', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sk-viz-cli-'));
    dataDir = await tempDataDir({ initialized: true });
    banner = createServer((socket) => socket.end('220 ready\r\n'));
    await new Promise<void>((resolve) => banner.listen(0, '127.0.0.1', resolve));
    port = (banner.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => banner.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('run --record FILE --serve writes a clean recording and serves the API while it runs; replay serves it', async () => {
    const config = join(dir, 'competition.yaml');
    writeFileSync(
      config,
      `name: cli-cup
scan: { interval: 2, jitter: 0, timeout: 1 }
teams:
  - { number: 1, name: Team1 }
  - { number: 2, name: Team2 }
services:
  - name: mail
    type: tcp
    host: 127.0.0.1
    port: ${port}
    params: { banner: { regex: "^220 " } }
  - name: shell
    type: ssh
    host: 127.0.0.1
    port: 1
    credentials: { username: root, password: ${SECRETS.explicitPassword} }
tokens:
  admin: ${SECRETS.adminToken}
  teams: { 1: ${SECRETS.team1Token}, 2: ${SECRETS.team2Token} }
`,
    );
    const recording = join(dir, 'rounds.jsonl');
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const served = new Promise<string>((resolve) => {
      out.on('data', () => {
        const m = /visualizer: (http:\/\/127\.0\.0\.1:\d+)\//.exec(printed);
        if (m) resolve(m[1]!);
      });
    });
    const running = runCommand(['--config', config, '--rounds', '2', '--quiet', '--record', recording, '--serve', '--data', dataDir, '--log-file', join(dir, 'checks.log')], out);
    const url = await Promise.race([served, running.then(() => Promise.reject(new Error(`run ended before serving: ${printed}`)))]);
    expect(printed).toContain('open it once with ?token=<tokens.admin of the competition file>');
    // While it runs: the scanner API as team 1, the snapshot as the admin.
    const snapshot = await http(`${url}/api/inspect/snapshot`, { headers: bearer(SECRETS.adminToken) });
    expect(snapshot.status).toBe(200);
    assertNoSecrets(snapshot.body, 'snapshot');
    const grid = await http(`${url}/api/scanner`, { headers: bearer(SECRETS.team1Token) });
    expect(grid.status).toBe(200);
    expect((JSON.parse(grid.body) as { teams: Array<{ team: number }> }).teams.map((t) => t.team)).toEqual([1]);
    assertNoSecrets(grid.body, '/api/scanner');
    expect(await running).toBe(0);
    expect(printed).toMatch(/cli-cup round 2: 4 checks, 2 up, 2 down/);
    const text = readFileSync(recording, 'utf8');
    assertNoSecrets(text, 'recording');
    const messages = await readRecording(recording);
    const ended = messages.filter((m) => m.kind === 'actor' && m.actor.kind === 'check' && m.actor.state === 'ended');
    expect(ended.map((m) => (m.kind === 'actor' ? `${m.actor.team}/${m.actor.service}` : '')).sort()).toEqual(['1/mail', '1/mail', '1/shell', '1/shell', '2/mail', '2/mail', '2/shell', '2/shell']);

    // replay prints an address with a token made for it, and serves the recording.
    const replayOut = new PassThrough();
    let replayPrinted = '';
    const address = new Promise<{ url: string; token: string }>((resolve) => {
      replayOut.on('data', (c: Buffer) => {
        replayPrinted += c.toString('utf8');
        const m = /inspector: (http:\/\/127\.0\.0\.1:\d+)\/inspector\.html\?token=([\w-]+)/.exec(replayPrinted);
        if (m) resolve({ url: m[1]!, token: m[2]! });
      });
    });
    const stop = new AbortController();
    const replaying = replayCommand([recording], replayOut, stop.signal);
    const { url: replayUrl, token } = await address;
    const served2 = await http(`${replayUrl}/api/recording`, { headers: bearer(token) });
    expect((JSON.parse(served2.body) as { messages: unknown[] }).messages).toHaveLength(messages.length);
    expect((await http(`${replayUrl}/api/recording`, { headers: bearer(SECRETS.adminToken) })).status).toBe(401);
    stop.abort();
    expect(await replaying).toBe(0);
  });

  test('replay names a missing file and a bad line', async () => {
    await expect(replayCommand([join(dir, 'nope.jsonl')], new PassThrough())).rejects.toThrow(/replay: no recording file .*nope\.jsonl/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"seq":1}\n');
    await expect(replayCommand([bad], new PassThrough())).rejects.toThrow(`${bad}:1: not an inspection message`);
  });
});
