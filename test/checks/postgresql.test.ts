/**
 * postgresql check against the machine's PostgreSQL (127.0.0.1:5432), with a role
 * created for this file, plus in-process node:net servers for the silent-server and
 * abort cases. That server trusts local connections, so wrong passwords are tested
 * against a scram-sha-256 instance in test/daemons/postgresql.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PostgresqlCheck } from '../../src/checks/postgresql.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { expectAbortMidProbe, silentServer } from '../support/silent-server.js';

const HOST = '127.0.0.1';
const PORT = 5432;
const ROLE = 'sk_check_user';
const PASSWORD = 'sk-Check-pw-5521';

const base: ServiceInit = { host: HOST, port: PORT, username: ROLE, password: PASSWORD, points: 5 };

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ host: HOST, port: PORT, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`DROP ROLE IF EXISTS ${ROLE}`);
  await admin(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
});

afterAll(async () => {
  await admin(`DROP ROLE IF EXISTS ${ROLE}`);
});

/** Runs the check and asserts it left no socket or timer behind. */
async function check(init: Partial<ServiceInit>, timeoutMs = 5000) {
  const before = activeResources();
  const r = await runCheck(new PostgresqlCheck(), { ...base, ...init }, { timeoutMs });
  await expectNoLeakedResources(before);
  return r;
}


describe('postgresql check', () => {
  test('logs in, runs the query and compares the first value', async () => {
    const r = await check({ params: { query: 'SELECT current_user', expect: ROLE } });
    expect(r).toMatchObject({ score: 5, error: null, resolvedType: 'postgresql' });
    expect(r.logs).toEqual([`team-1/postgresql: Success Team1 : PostgreSQL login as ${ROLE} and query to ${HOST}`]);
  });

  test('values are compared in PostgreSQL text form', async () => {
    expect(await check({ params: { query: 'SELECT true', expect: 't' } })).toMatchObject({ score: 5, error: null });
    expect(await check({ params: { query: "SELECT DATE '2026-03-01'", expect: '2026-03-01' } })).toMatchObject({ score: 5, error: null });
    expect(await check({ params: { query: 'SELECT 12345678901234567::bigint', expect: '12345678901234567' } })).toMatchObject({ score: 5 });
    expect(await check({ params: { query: "SELECT 'a'; SELECT 'b'", expect: 'b' } })).toMatchObject({ score: 5, error: null });
  });

  test('the default SELECT 1 in database postgres without an expectation only needs a login', async () => {
    expect(await check({})).toMatchObject({ score: 5, error: null });
  });

  test('a different value fails with both values; regex expectations', async () => {
    const r = await check({ params: { query: "SELECT 'blue'", expect: 'red' } });
    expect(r).toMatchObject({ score: 0, error: "query returned 'blue', expected 'red'" });
    expect(await check({ params: { query: "SELECT 'blue'", expect: { regex: '^bl' } } })).toMatchObject({ score: 5 });
    expect((await check({ params: { query: 'SELECT NULL', expect: 'x' } })).error).toBe("query returned 'NULL', expected 'x'");
  });

  test('no rows when a value is expected', async () => {
    const r = await check({ params: { query: 'SELECT 1 WHERE false', expect: '1' } });
    expect(r).toMatchObject({ score: 0, error: "query returned no rows, expected '1'" });
  });

  test('an unknown role is a rejected login with the reason', async () => {
    const r = await check({ username: 'sk_no_such_role' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; login as sk_no_such_role rejected (28000 role "sk_no_such_role" does not exist)` });
    expect(r.error).not.toContain(PASSWORD);
  });

  test('a missing database', async () => {
    const r = await check({ params: { database: 'sk_no_such_db' } });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; logged in as ${ROLE}, but database 'sk_no_such_db' does not exist (3D000)` });
  });

  test('a failing query names the SQLSTATE', async () => {
    const r = await check({ params: { query: 'SELECT * FROM sk_missing_table' } });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${PORT}; logged in as ${ROLE}; query failed (42P01 relation "sk_missing_table" does not exist)` });
  });

  test('nothing listening', async () => {
    const port = await freePort();
    expect(await check({ port })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${port}` });
  });

  test('a server that accepts and never answers: the probe deadline names the step', async () => {
    const silent = await silentServer();
    try {
      const r = await check({ port: silent.port }, 1000);
      expect(r).toMatchObject({ score: 0, timedOut: false, error: `connected to ${HOST}:${silent.port}; no answer to the PostgreSQL startup message within 0.9 s` });
      expect(silent.sockets.size).toBe(0);
    } finally {
      await silent.close();
    }
  });

  test('an abort mid-probe destroys the socket at once', async () => {
    await expectAbortMidProbe(new PostgresqlCheck(), base, 'sent');
  });

  test('params are validated and credentials are required', async () => {
    const bad = await check({ params: { sql: 'SELECT 1' } });
    expect(bad.score).toBe(0);
    expect(bad.error).toMatch(/^team-1\/postgresql: params: .*sql/);
    const none = await runCheck(new PostgresqlCheck(), { host: HOST, port: PORT });
    expect(none).toMatchObject({ score: 0, error: 'team-1/postgresql: no credentials for Team1 (no credentials configured for this service)' });
  });
});
