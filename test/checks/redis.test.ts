/**
 * redis check against the machine's Redis (127.0.0.1:6379, no requirepass: it is not
 * changed), with an ACL user and keys created for this file and deleted after it, plus
 * in-process node:net servers for the silent-server and abort cases.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RedisCheck } from '../../src/checks/redis.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { expectAbortMidProbe, silentServer } from '../support/silent-server.js';

const HOST = '127.0.0.1';
const PORT = 6379;
const ACL_USER = `sk_check_${process.pid}`;
const PASSWORD = 'sk-Check-pw-6203';
const KEY = `sk:check:${process.pid}`;
const LIST = `sk:check:${process.pid}:list`;

async function admin(commands: string[][]): Promise<void> {
  const c = createClient({ socket: { host: HOST, port: PORT, reconnectStrategy: false } });
  await c.connect();
  try {
    for (const cmd of commands) await c.sendCommand(cmd);
  } finally {
    c.destroy();
  }
}

beforeAll(async () => {
  await admin([
    ['ACL', 'SETUSER', ACL_USER, 'reset', 'on', `>${PASSWORD}`, '~sk:*', '+@all'],
    ['SET', KEY, 'flag-value'],
    ['DEL', LIST],
    ['RPUSH', LIST, 'alpha', 'beta'],
  ]);
});

afterAll(async () => {
  await admin([['ACL', 'DELUSER', ACL_USER], ['DEL', KEY, LIST]]);
});

const acl: ServiceInit = { host: HOST, port: PORT, username: ACL_USER, password: PASSWORD, points: 3 };

/** Runs the check and asserts it left no socket or timer behind. */
async function check(init: ServiceInit, timeoutMs = 5000) {
  const before = activeResources();
  const r = await runCheck(new RedisCheck(), init, { timeoutMs });
  await expectNoLeakedResources(before);
  return r;
}


describe('redis check', () => {
  test('PING without credentials expects PONG', async () => {
    const r = await check({ host: HOST, port: PORT, points: 2 });
    expect(r).toMatchObject({ score: 2, error: null, resolvedType: 'redis' });
    expect(r.logs).toEqual([`team-1/redis: Success Team1 : Redis PING to ${HOST}`]);
  });

  test('an ACL user logs in and reads its key', async () => {
    const r = await check({ ...acl, params: { command: ['GET', KEY], expect: 'flag-value' } });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/redis: Success Team1 : Redis GET as ${ACL_USER} to ${HOST}`]);
  });

  test('a wrong password is a rejected login, and the password is not in the message', async () => {
    const r = await check({ ...acl, password: 'wrong-Password-99' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; login as ${ACL_USER} rejected (WRONGPASS)` });
    expect(`${r.error} ${r.logs.join(' ')}`).not.toContain('wrong-Password-99');
  });

  test('a different reply fails with both values; nil and list replies', async () => {
    const r = await check({ ...acl, params: { command: ['GET', KEY], expect: 'other' } });
    expect(r).toMatchObject({ score: 0, error: "GET replied 'flag-value', expected 'other'" });
    const nil = await check({ ...acl, params: { command: ['GET', `${KEY}:none`], expect: 'x' } });
    expect(nil.error).toBe("GET replied '(nil)', expected 'x'");
    const list = await check({ ...acl, params: { command: ['LRANGE', LIST, '0', '-1'], expect: { regex: '^alpha\\nbeta$' } } });
    expect(list).toMatchObject({ score: 3, error: null });
  });

  test('a command the ACL forbids names the server error', async () => {
    const r = await check({ ...acl, params: { command: ['GET', 'other:key'] } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(
      `connected to ${HOST}:${PORT}; logged in as ${ACL_USER}; GET failed (NOPERM this user has no permissions to access one of the keys used as arguments)`,
    );
  });

  test('a database index the server does not have', async () => {
    const r = await check({ host: HOST, port: PORT, params: { database: 99 } });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; SELECT 99 failed (ERR DB index is out of range)` });
  });

  test('nothing listening', async () => {
    const port = await freePort();
    expect(await check({ host: HOST, port })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${port}` });
  });

  test('a server that accepts and never answers: the probe deadline names the step', async () => {
    const silent = await silentServer();
    try {
      const auth = await check({ ...acl, port: silent.port }, 1000);
      expect(auth).toMatchObject({ score: 0, timedOut: false, error: `connected to ${HOST}:${silent.port}; AUTH as ${ACL_USER} not answered within 0.9 s` });
      const ping = await check({ host: HOST, port: silent.port }, 1000);
      expect(ping).toMatchObject({ score: 0, timedOut: false, error: `connected to ${HOST}:${silent.port}; no reply to PING within 0.9 s` });
      expect(silent.sockets.size).toBe(0);
    } finally {
      await silent.close();
    }
  });

  test('an abort mid-probe destroys the client at once', async () => {
    await expectAbortMidProbe(new RedisCheck(), acl, 'sent');
  });

  test('params are validated', async () => {
    const empty = await check({ host: HOST, port: PORT, params: { command: [] } });
    expect(empty.score).toBe(0);
    expect(empty.error).toMatch(/^team-1\/redis: params\.command: /);
    const text = await check({ host: HOST, port: PORT, params: { command: 'PING' } });
    expect(text.error).toMatch(/^team-1\/redis: params\.command: /);
  });
});
