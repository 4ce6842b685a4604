// The pop3 check against a real Dovecot on 127.0.0.1: own dovecot.conf, passwd-file
// users, a maildir seeded with two messages, UIDLs equal to the maildir file names.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Pop3Check } from '../../src/checks/pop3.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { startDovecot, type Dovecot } from './support/dovecot.js';

const PASSWORD = 'Pop-pass-1';
const MESSAGES = ['1700000001.M1P1.team1', '1700000002.M2P1.team1'];

describe('pop3 check against Dovecot', () => {
  let dovecot: Dovecot;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    dovecot = await startDovecot({ protocol: 'pop3', users: ['alice', 'empty'], password: PASSWORD, messages: MESSAGES, extraConf: 'pop3_uidl_format = %f' });
    port = dovecot.port;
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  test('login, message count and a UIDL present', async () => {
    const before = activeResources();
    const r = await runCheck(new Pop3Check(), { host, port, username: 'alice', password: PASSWORD, points: 3, params: { minMessages: 2, uidl: MESSAGES[1] } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/pop3: Success Team1 : POP3 login as alice to ${host}:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('wrong password', async () => {
    const r = await runCheck(new Pop3Check(), { host, port, username: 'alice', password: 'Wrong-pass-9' }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; login as alice rejected (-ERR [AUTH] Authentication failed.)`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('too few messages, or a missing UIDL', async () => {
    const r = await runCheck(new Pop3Check(), { host, port, username: 'alice', password: PASSWORD, params: { minMessages: 5 } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as alice; the mailbox holds 2 messages, expected at least 5`);
    const r2 = await runCheck(new Pop3Check(), { host, port, username: 'empty', password: PASSWORD, params: { uidl: MESSAGES[0] } }, { timeoutMs: 10_000 });
    expect(r2.error).toBe(`logged in to ${host}:${port} as empty; no message with UIDL '${MESSAGES[0]}' among 0`);
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new Pop3Check(), { host, port: closed, username: 'alice', password: PASSWORD });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});
