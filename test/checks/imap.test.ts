// No Node IMAP server library here: the real protocol is tested against Dovecot in
// test/daemons/imap.test.ts. These cases need no server: refusal, silence, abort, params.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ImapCheck } from '../../src/checks/imap.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const creds = { username: 'alice', password: 'imap-Secret' };

describe('imap check without a server', () => {
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
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port, ...creds });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${port}` });
    expect(r.logs).toEqual([`team-1/imap: FAIL Team1 : IMAP login to 127.0.0.1:${port} as alice`]);
  });

  test('a server that never greets is reported before the deadline, leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort, ...creds }, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^no IMAP greeting and login reply from 127\\.0\\.0\\.1:${silentPort} within 0\\.\\d+ s$`));
    await expectNoLeakedResources(before);
  });

  test('an abort mid-probe closes the connection', async () => {
    const before = activeResources();
    const controller = new AbortController();
    silent.once('connection', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort, ...creds }, { signal: controller.signal });
    expect(r.score).toBe(0);
    await expectNoLeakedResources(before);
  });

  test('params are validated', async () => {
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort, ...creds, params: { minMessages: 3 } });
    expect(r.error).toContain('params.minMessages: minMessages needs a mailbox');
    const r2 = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort, ...creds, params: { mailbox: '' } });
    expect(r2.error).toContain('params.mailbox:');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort });
    expect(r.error).toContain('no credentials for Team1');
  });
});
