// The smtp check against a real OpenSMTPD on 127.0.0.1: local delivery to a maildir,
// relaying refused. No TLS listener: OpenSMTPD 6.8 fails every TLS handshake with
// Debian 12's OpenSSL 3 ("EVP lib"), and it offers AUTH only over TLS, so AUTH itself is
// covered by test/checks/smtp.test.ts (smtp-server); here a login the server does not
// offer is the credentials failure.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SmtpCheck } from '../../src/checks/smtp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { ensureTestUser, type TestUser } from './support/users.js';

describe('smtp check against OpenSMTPD', () => {
  let dir: string;
  let daemon: Daemon;
  let user: TestUser;
  let port: number;
  const host = '127.0.0.1';
  const params = () => ({ from: 'scorer@scorekeeper.local', to: `${user.name}@team1.local` });

  beforeAll(async () => {
    user = ensureTestUser('sktest_smtp', 'Smtp-pass-1');
    dir = tempDir('smtpd');
    port = await freePort();
    writeFileSync(
      join(dir, 'smtpd.conf'),
      [
        `listen on ${host} port ${port}`,
        'action "local" maildir "%{user.directory}/Maildir"',
        'match from any for domain "team1.local" action "local"',
        '',
      ].join('\n'),
    );
    execFileSync('/usr/sbin/smtpd', ['-n', '-f', join(dir, 'smtpd.conf')], { stdio: 'pipe' });
    daemon = await startDaemon({ name: 'smtpd', command: '/usr/sbin/smtpd', args: ['-d', '-f', join(dir, 'smtpd.conf')], port });
  });
  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  test('a message delivered to the local mailbox', async () => {
    const before = activeResources();
    const r = await runCheck(new SmtpCheck(), { host, port, points: 2, params: params() }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 2, error: null });
    expect(r.logs).toEqual([`team-1/smtp: Success Team1 : SMTP mail for sktest_smtp@team1.local to ${host}:${port}`]);
    await expectNoLeakedResources(before);
    const maildir = join(user.home, 'Maildir', 'new');
    await waitFor(() => existsSync(maildir) && readdirSync(maildir).some((f) => readFileSync(join(maildir, f), 'utf8').includes('scorekeeper check team-1/smtp')));
  });

  test('a login the server does not offer', async () => {
    const r = await runCheck(new SmtpCheck(), { host, port, username: user.name, password: 'Wrong-pass-9', params: params() }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    // OpenSMTPD without TLS lists no AUTH: the message says so, not "wrong password".
    expect(r.error).toBe(
      `connected to ${host}:${port}; the server offers no AUTH, so login as sktest_smtp cannot be tried (it answered 503 5.5.1 Invalid command: Command not supported); params.auth: false sends without logging in`,
    );
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('a recipient the server does not relay for', async () => {
    const r = await runCheck(new SmtpCheck(), { host, port, params: { ...params(), to: 'eve@elsewhere.example' } }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toMatch(new RegExp(`^connected to ${host}:${port}; recipient eve@elsewhere\\.example rejected: 550 `));
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new SmtpCheck(), { host, port: closed, params: params() });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});

async function waitFor(cond: () => boolean, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
