// The imap check against a real Dovecot on 127.0.0.1: own dovecot.conf, passwd-file
// users, a maildir seeded with two messages in INBOX and an empty Sent folder.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ImapCheck } from '../../src/checks/imap.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { startDovecot, type Dovecot } from './support/dovecot.js';

const PASSWORD = 'Imap-pass-1';
const MESSAGES = ['1700000001.M1P1.team1', '1700000002.M2P1.team1'];

describe('imap check against Dovecot', () => {
  let dovecot: Dovecot;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    dovecot = await startDovecot({ protocol: 'imap', users: ['alice'], password: PASSWORD, messages: MESSAGES, folders: ['Sent'] });
    port = dovecot.port;
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  test('login, mailbox exists and holds enough messages', async () => {
    const before = activeResources();
    const r = await runCheck(new ImapCheck(), { host, port, username: 'alice', password: PASSWORD, points: 3, params: { mailbox: 'INBOX', minMessages: 2 } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/imap: Success Team1 : IMAP login as alice and mailbox 'INBOX' to ${host}:${port}`]);
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
