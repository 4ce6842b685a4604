import { createServer, type Server as NetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { SmtpCheck } from '../../src/checks/smtp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const PASSWORD = 'm4il-Secret';
const params = { from: 'scorer@scorekeeper.local', to: 'bob@team1.local' };

/** A real SMTP server: STARTTLS offered, AUTH optional, relays only to team1.local. */
function startSmtpServer(received: string[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alice' && auth.password === PASSWORD) return cb(null, { user: 'alice' });
      const err = Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
      cb(err);
    },
    onRcptTo(addr, _session, cb) {
      if (addr.address.endsWith('@team1.local')) return cb();
      cb(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }));
    },
    onData(stream, _session, cb) {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      stream.on('end', () => {
        received.push(text);
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as { port: number }).port })));
}

describe('smtp check (in-process smtp-server)', () => {
  const received: string[] = [];
  let smtp: { server: SMTPServer; port: number };
  let silent: NetServer;
  let silentPort: number;
  beforeAll(async () => {
    smtp = await startSmtpServer(received);
    silent = createServer((s) => s.on('error', () => undefined).resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.server.close(() => r()));
    silent.close();
  });

  test('a message to a local recipient is accepted, over STARTTLS, without AUTH', async () => {
    const before = activeResources();
    const count = received.length;
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, points: 3, params });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/smtp: Success Team1 : SMTP mail for bob@team1.local to 127.0.0.1:${smtp.port}`]);
    expect(received.length).toBe(count + 1);
    expect(received.at(-1)).toMatch(/^Subject: scorekeeper check team-1\/smtp [0-9a-f]{16}$/m);
    await expectNoLeakedResources(before);
  });

  test('AUTH with the service credentials', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, username: 'alice', password: PASSWORD, params });
    expect(r).toMatchObject({ score: 1, error: null });
    expect(r.logs[0]).toContain('SMTP login as alice and mail for bob@team1.local');
  });

  test('a wrong password is a rejected login with the reply, and never shown', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, username: 'alice', password: 'bad-Secret', params });
    expect(r.error).toBe(`connected to 127.0.0.1:${smtp.port}; login as alice rejected: 535 5.7.8 Authentication credentials invalid`);
    expect(JSON.stringify(r)).not.toContain('bad-Secret');
  });

  test('credentials against a server that offers no AUTH say so, not that the login was rejected', async () => {
    const plain = new SMTPServer({ disabledCommands: ['AUTH', 'STARTTLS'], logger: false });
    plain.on('error', () => undefined);
    const port = await new Promise<number>((resolve) => plain.listen(0, '127.0.0.1', () => resolve((plain.server.address() as { port: number }).port)));
    try {
      const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port, username: 'alice', password: PASSWORD, params });
      expect(r.score).toBe(0);
      expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; the server offers no AUTH, so login as alice cannot be tried \\(it answered 5\\d\\d [^)]*\\); params\\.auth: false sends without logging in$`));
      expect(JSON.stringify(r)).not.toContain(PASSWORD);
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });

  test('auth: false skips AUTH even with credentials', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, username: 'alice', password: 'bad-Secret', params: { ...params, auth: false } });
    expect(r).toMatchObject({ score: 1, error: null });
  });

  test('a relay denial is a failure with the server reply', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, params: { ...params, to: 'eve@elsewhere.example' } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to 127.0.0.1:${smtp.port}; recipient eve@elsewhere.example rejected: 550 5.7.1 Relaying denied`);
  });

  test('nothing listening', async () => {
    const port = await freePort();
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port, params });
    expect(r.error).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  test('a server that never greets is reported before the deadline, leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: silentPort, params }, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${silentPort}; no SMTP greeting and EHLO reply within 0\\.\\d+ s$`));
    await expectNoLeakedResources(before);
  });

  test('an abort mid-probe closes the connection', async () => {
    const before = activeResources();
    const controller = new AbortController();
    silent.once('connection', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: silentPort, params }, { signal: controller.signal });
    expect(r.score).toBe(0);
    await expectNoLeakedResources(before);
  });

  test('params are validated', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, params: { from: 'x' } });
    expect(r.error).toContain('params.from: must be an address like user@example.com');
    expect(r.error).toContain('params.to:');
  });

  test('auth: true without credentials names the missing credentials', async () => {
    const r = await runCheck(new SmtpCheck(), { host: '127.0.0.1', port: smtp.port, params: { ...params, auth: true } });
    expect(r.error).toContain('no credentials for Team1');
  });
});
