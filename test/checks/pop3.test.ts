// No Node POP3 server library here: the real protocol is tested against Dovecot in
// test/daemons/pop3.test.ts. These cases need no server: refusal, silence, abort, params.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Pop3Check } from '../../src/checks/pop3.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const creds = { username: 'alice', password: 'pop3-Secret' };

describe('pop3 check without a server', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    silent = createServer((s) => s.on('error', () => undefined).resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => void silent.close());

  test('nothing listening', async () => {
    const port = await freePort();
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port, ...creds });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${port}` });
    expect(r.logs).toEqual([`team-1/pop3: FAIL Team1 : POP3 login to 127.0.0.1:${port} as alice`]);
  });

  test('a server that never greets is reported before the deadline, leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort, ...creds }, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^no POP3 greeting from 127\\.0\\.0\\.1:${silentPort} within 0\\.\\d+ s$`));
    await expectNoLeakedResources(before);
  });

  test('an abort mid-probe closes the connection', async () => {
    const before = activeResources();
    const controller = new AbortController();
    silent.once('connection', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort, ...creds }, { signal: controller.signal });
    expect(r.score).toBe(0);
    await expectNoLeakedResources(before);
  });

  test('params are validated', async () => {
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort, ...creds, params: { minMessages: -1 } });
    expect(r.error).toContain('params.minMessages:');
    const r2 = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort, ...creds, params: { uidl: 5 } });
    expect(r2.error).toContain('params.uidl:');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort });
    expect(r.error).toContain('no credentials for Team1');
  });
});
