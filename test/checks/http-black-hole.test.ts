/**
 * An http check against a host that drops SYNs (a black-holed service): it must end at
 * its probe's own limit with the probe's words, not at the engine's deadline. The black
 * hole is real: a loopback listener with a full accept queue (backlog 0, one connection
 * already queued, never accepted) makes the kernel drop every further SYN.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpCheck } from '../../src/checks/http.js';
import { runCheck } from '../../src/testing/run-check.js';

let listener: ChildProcess;
let port = 0;
let queued: Socket;

beforeAll(async () => {
  // Node's listeners always accept; Python's listen(0) without accept() leaves the queue full.
  listener = spawn('python3', ['-c', [
    'import socket, sys, time',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'time.sleep(120)',
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    listener.once('error', reject);
    listener.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  queued = connect(port, '127.0.0.1');
  await new Promise((r) => queued.once('connect', r));
});

afterAll(() => {
  queued?.destroy();
  listener?.kill();
});

describe('http check against a host that drops SYNs', () => {
  test('ends at the probe limit with "no HTTP answer … within", before the engine deadline', async () => {
    const started = performance.now();
    const r = await runCheck(new HttpCheck(), { host: '127.0.0.1', port, params: { path: '/' } }, { timeoutMs: 1500 });
    const elapsed = performance.now() - started;
    expect(r.score).toBe(0);
    expect(r.error).toMatch(/^no HTTP answer for \/ within 1\.\d+ s$/);
    expect(r.timedOut).toBe(false);
    expect(elapsed).toBeLessThan(1500 + 1000);
  });
});
