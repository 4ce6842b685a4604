/**
 * The cases every login check shares when no real server is at hand: nothing
 * listening, a server that accepts and never answers (reported before the deadline,
 * nothing left open), and an abort mid-probe. Call inside a describe block.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ServiceType } from '../../src/service-type.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from './daemon.js';
import { activeResources, expectNoLeakedResources } from './handles.js';

/** What differs between the login checks in these cases. */
export interface LoginCheckBasics {
  readonly check: () => ServiceType;
  readonly creds: { readonly username: string; readonly password: string };
  /** The log line written when nothing listens on `port`. */
  readonly refusedLog: (port: number) => string;
  /** The error for a server on `port` that never answers. */
  readonly silentError: (port: number) => RegExp;
}

/** Defines the shared tests; returns the port of the silent server for the file's own. */
export function loginCheckBasics(o: LoginCheckBasics): () => number {
  let silent: Server;
  let silentPort = 0;
  beforeAll(async () => {
    silent = createServer((s) => s.on('error', () => undefined).resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => void silent.close());

  test('nothing listening', async () => {
    const port = await freePort();
    const r = await runCheck(o.check(), { host: '127.0.0.1', port, ...o.creds });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${port}` });
    expect(r.logs).toEqual([o.refusedLog(port)]);
  });

  test('a server that never greets is reported before the deadline, leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(o.check(), { host: '127.0.0.1', port: silentPort, ...o.creds }, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(o.silentError(silentPort));
    await expectNoLeakedResources(before);
  });

  test('an abort mid-probe closes the connection', async () => {
    const before = activeResources();
    const controller = new AbortController();
    silent.once('connection', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(o.check(), { host: '127.0.0.1', port: silentPort, ...o.creds }, { signal: controller.signal });
    expect(r.score).toBe(0);
    await expectNoLeakedResources(before);
  });

  return () => silentPort;
}
