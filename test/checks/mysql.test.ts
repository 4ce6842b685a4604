/**
 * mysql check against the machine's MariaDB (127.0.0.1:3306, root without a password),
 * with a user and a database created for this file, plus in-process node:net servers
 * for the silent-server and abort cases.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MysqlCheck } from '../../src/checks/mysql.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { expectAbortMidProbe, silentServer } from '../support/silent-server.js';

const HOST = '127.0.0.1';
const PORT = 3306;
const USER = 'sk_check_user';
const PASSWORD = 'sk-Check-pw-4417';
const DB = 'sk_checks';

const base: ServiceInit = { host: HOST, port: PORT, username: USER, password: PASSWORD, points: 5 };

async function admin<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', password: '' });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(async (c) => {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${DB}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${DB}.flags (name VARCHAR(32) PRIMARY KEY, value VARCHAR(64))`);
    await c.query(`REPLACE INTO ${DB}.flags VALUES ('web', 'team-flag-1')`);
    for (const host of ['127.0.0.1', '%']) {
      await c.query(`CREATE USER IF NOT EXISTS '${USER}'@'${host}' IDENTIFIED BY '${PASSWORD}'`);
      await c.query(`ALTER USER '${USER}'@'${host}' IDENTIFIED BY '${PASSWORD}'`);
      await c.query(`GRANT SELECT ON ${DB}.* TO '${USER}'@'${host}'`);
    }
  });
});

afterAll(async () => {
  await admin(async (c) => {
    for (const host of ['127.0.0.1', '%']) await c.query(`DROP USER IF EXISTS '${USER}'@'${host}'`);
    await c.query(`DROP DATABASE IF EXISTS ${DB}`);
  });
});

/** Runs the check and asserts it left no socket or timer behind. */
async function check(init: Partial<ServiceInit>, timeoutMs = 5000) {
  const before = activeResources();
  const r = await runCheck(new MysqlCheck(), { ...base, ...init }, { timeoutMs });
  await expectNoLeakedResources(before);
  return r;
}


describe('mysql check', () => {
  test('logs in, runs the query and compares the first value', async () => {
    const r = await check({ params: { database: DB, query: "SELECT value FROM flags WHERE name = 'web'", expect: 'team-flag-1' } });
    expect(r).toMatchObject({ score: 5, error: null, resolvedType: 'mysql' });
    expect(r.logs).toEqual([`team-1/mysql: Success Team1 : MySQL login as ${USER} and query to ${HOST}`]);
  });

  test('the default SELECT 1 without an expectation only needs a login', async () => {
    expect(await check({})).toMatchObject({ score: 5, error: null });
  });

  test('contains and regex expectations', async () => {
    const query = `SELECT value FROM ${DB}.flags WHERE name = 'web'`;
    expect(await check({ params: { query, expect: { contains: 'flag' } } })).toMatchObject({ score: 5, error: null });
    expect(await check({ params: { query, expect: { regex: '^team-flag-\\d+$' } } })).toMatchObject({ score: 5, error: null });
    const r = await check({ params: { query, expect: { contains: 'nope' } } });
    expect(r).toMatchObject({ score: 0, error: "query returned 'team-flag-1': 'nope' not found in 11 bytes" });
  });

  test('a different value fails with both values', async () => {
    const r = await check({ params: { database: DB, query: "SELECT value FROM flags WHERE name = 'web'", expect: 'team-flag-2' } });
    expect(r).toMatchObject({ score: 0, error: "query returned 'team-flag-1', expected 'team-flag-2'" });
    expect(r.logs[0]).toContain('FAIL Team1');
  });

  test('no rows when a value is expected', async () => {
    const r = await check({ params: { database: DB, query: "SELECT value FROM flags WHERE name = 'none'", expect: 'x' } });
    expect(r).toMatchObject({ score: 0, error: "query returned no rows, expected 'x'" });
  });

  test('a wrong password is a rejected login, and the password is not in the message', async () => {
    const r = await check({ password: 'wrong-Password-99' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; login as ${USER} rejected (ER_ACCESS_DENIED_ERROR)` });
    expect(r.error).not.toContain('wrong-Password-99');
    expect(r.logs.join('\n')).not.toContain('wrong-Password-99');
  });

  test('a database the user may not use', async () => {
    const r = await check({ params: { database: 'sk_no_such_db' } });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; database 'sk_no_such_db' is not available to ${USER} (ER_DBACCESS_DENIED_ERROR)` });
  });

  test('a failing query names the server error', async () => {
    const r = await check({ params: { database: DB, query: 'SELECT * FROM missing_table' } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${HOST}:${PORT}; logged in as ${USER}; query failed (ER_NO_SUCH_TABLE: Table '${DB}.missing_table' doesn't exist)`);
  });

  test('nothing listening', async () => {
    const port = await freePort();
    expect(await check({ port })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${port}` });
  });

  test('a server that accepts and never greets: the probe deadline names the step', async () => {
    const silent = await silentServer();
    try {
      const r = await check({ port: silent.port }, 1000);
      expect(r).toMatchObject({ score: 0, timedOut: false, error: `connected to ${HOST}:${silent.port}; no MySQL greeting within 0.9 s` });
      expect(silent.sockets.size).toBe(0);
    } finally {
      await silent.close();
    }
  });

  test('an abort mid-probe closes the socket at once', async () => {
    await expectAbortMidProbe(new MysqlCheck(), base, 'connected');
  });

  test('params are validated and credentials are required', async () => {
    const bad = await check({ params: { query: 'SELECT 1', bogus: true } });
    expect(bad.score).toBe(0);
    expect(bad.error).toMatch(/^team-1\/mysql: params: .*bogus/);
    const wrongType = await check({ params: { expect: 5 } });
    expect(wrongType.error).toMatch(/^team-1\/mysql: params\.expect: /);
    const none = await runCheck(new MysqlCheck(), { host: HOST, port: PORT });
    expect(none).toMatchObject({ score: 0, error: 'team-1/mysql: no credentials for Team1 (no credentials configured for this service)' });
  });
});
