/**
 * `serve --port <busy>` (issue 20, point 4): the port is bound before the database
 * starts, so a busy one fails at once, exit 7, one line naming the port and the option.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

let busy: Server;
let port: number;
let dir: string;
let config: string;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'sk-serve-port-'));
  config = join(dir, 'competition.yaml');
  writeFileSync(config, 'name: port-cup\nteams: [{ number: 1 }]\nservices: [{ name: web, type: http, host: 127.0.0.1, port: 9 }]\ntokens: { admin: "port-cup-admin-token-0123456789" }\n');
});

afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a busy port', () => {
  test.each([
    ['serve', ['serve', '--config', 'CONFIG', '--port', 'PORT'], '--port'],
    ['run --serve', ['run', '--config', 'CONFIG', '--serve', 'PORT'], '--serve'],
  ])('%s fails at once with exit 7 naming the port and the option', async (_name, template, option) => {
    const data = join(dir, `data-${option.slice(2)}`);
    const args = [...template.map((a) => (a === 'CONFIG' ? config : a === 'PORT' ? String(port) : a)), '--data', data];
    const baseline = performance.now();
    await runCli(['--help']);
    const startMs = performance.now() - baseline;
    const started = performance.now();
    const run = await runCli(args);
    const ms = performance.now() - started;
    console.log(`${args[0]} on a busy port: exit ${run.code} after ${Math.round(ms)} ms (the CLI's own start: ${Math.round(startMs)} ms)`);
    expect(run.code, run.stderr).toBe(7);
    expect(run.stderr).toBe(`scorekeeper: port ${port} is already in use on 127.0.0.1; choose another with ${option} PORT (0 picks a free one)\n`);
    // Bound before the engine's modules load: little more than the CLI's own start.
    expect(ms).toBeLessThan(startMs + 1_500);
    // The database was never started: the data folder does not even exist.
    expect(existsSync(data)).toBe(false);
  }, 60_000);
});
