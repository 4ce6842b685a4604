// The imap check against a real Dovecot on 127.0.0.1: own dovecot.conf, passwd-file
// users, a maildir seeded with two messages in INBOX and an empty Sent folder.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ImapCheck } from '../../src/checks/imap.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { ensureTestUser } from './support/users.js';

const PASSWORD = 'Imap-pass-1';
const MESSAGES = ['1700000001.M1P1.team1', '1700000002.M2P1.team1'];

describe('imap check against Dovecot', () => {
  let dir: string;
  let daemon: Daemon;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    // the static userdb needs a non-root uid that owns the maildirs
    const owner = ensureTestUser('sktest_mail', 'Unused-pass-1');
    const uid = Number(execFileSync('id', ['-u', owner.name]).toString());
    const gid = Number(execFileSync('id', ['-g', owner.name]).toString());
    dir = tempDir('dovecot-imap');
    port = await freePort();
    const maildir = join(dir, 'home', 'alice', 'Maildir');
    for (const sub of ['cur', 'new', 'tmp', '.Sent/cur', '.Sent/new', '.Sent/tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    for (const [i, name] of MESSAGES.entries()) {
      writeFileSync(join(maildir, 'cur', `${name}:2,S`), `From: a@team1.local\r\nSubject: message ${i + 1}\r\n\r\nHello ${i + 1}\r\n`);
    }
    execFileSync('chown', ['-R', `${uid}:${gid}`, join(dir, 'home')]);
    chmodSync(dir, 0o755); // dovecot's auth process (user dovecot) reads the users file
    writeFileSync(join(dir, 'users'), `alice:{PLAIN}${PASSWORD}::::::\n`);
    writeFileSync(join(dir, 'dovecot.conf'), dovecotConf(dir, port, uid, gid));
    daemon = await startDaemon({ name: 'dovecot', command: '/usr/sbin/dovecot', args: ['-F', '-c', join(dir, 'dovecot.conf')], port });
  });
  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  test('login, mailbox exists and holds enough messages', async () => {
    const before = activeResources();
    const r = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: PASSWORD, points: 3, params: { mailbox: 'INBOX', minMessages: 2 } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/imap: Success Team1 : IMAP login to ${host}:${port} as alice and mailbox 'INBOX'`]);
    await expectNoLeakedResources(before);
    const sent = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: PASSWORD, params: { mailbox: 'Sent' } }, { timeoutMs: 10_000 });
    expect(sent).toMatchObject({ score: 1, error: null });
  });

  test('wrong password', async () => {
    const r = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: 'Wrong-pass-9' }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; login as alice rejected (Authentication failed.)`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('a missing mailbox, or too few messages', async () => {
    const r = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: PASSWORD, params: { mailbox: 'Archive' } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as alice; mailbox 'Archive' does not exist (Mailbox doesn't exist: Archive)`);
    const r2 = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: PASSWORD, params: { mailbox: 'Sent', minMessages: 1 } }, { timeoutMs: 10_000 });
    expect(r2.error).toBe(`logged in to ${host}:${port} as alice; mailbox 'Sent' holds 0 messages, expected at least 1`);
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new ImapCheck(), { host, port: closed, username: 'alice', password: PASSWORD });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});

function dovecotConf(dir: string, port: number, uid: number, gid: number): string {
  return `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}
