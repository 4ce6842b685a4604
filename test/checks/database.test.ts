/**
 * database resolution in a registry of its own holding the real mysql and postgresql
 * checks: port 3306 runs mysql against the machine's MariaDB, 5432 runs postgresql
 * against its PostgreSQL, params.protocol covers other ports. Also the value helpers
 * the database-family checks share.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DatabaseCheck } from '../../src/checks/database.js';
import { compareValue, valueText, withoutSecret } from '../../src/checks/support/value.js';
import { MysqlCheck } from '../../src/checks/mysql.js';
import { PostgresqlCheck } from '../../src/checks/postgresql.js';
import { ServiceRegistry } from '../../src/registry.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const HOST = '127.0.0.1';
const USER = 'sk_check_multi';
const PASSWORD = 'sk-Multi-pw-8812';

const registry = new ServiceRegistry();
registry.register(DatabaseCheck);
registry.register(MysqlCheck);
registry.register(PostgresqlCheck);

async function mysqlAdmin(statements: string[]): Promise<void> {
  const c = await mysql.createConnection({ host: HOST, port: 3306, user: 'root', password: '' });
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}

async function pgAdmin(statements: string[]): Promise<void> {
  const c = new pg.Client({ host: HOST, port: 5432, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await mysqlAdmin([
    `CREATE USER IF NOT EXISTS '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
    `ALTER USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
  ]);
  await pgAdmin([`DROP ROLE IF EXISTS ${USER}`, `CREATE ROLE ${USER} LOGIN PASSWORD '${PASSWORD}'`]);
});

afterAll(async () => {
  await mysqlAdmin([`DROP USER IF EXISTS '${USER}'@'127.0.0.1'`]);
  await pgAdmin([`DROP ROLE IF EXISTS ${USER}`]);
});

const creds = { host: HOST, username: USER, password: PASSWORD, points: 3 } satisfies Partial<ServiceInit>;

async function check(init: ServiceInit) {
  const before = activeResources();
  const r = await runCheck(new DatabaseCheck(), init, { registry });
  await expectNoLeakedResources(before);
  return r;
}

describe('database', () => {
  test('is a multi type that only resolves', () => {
    expect(new DatabaseCheck().kind).toBe('multi');
  });

  test('port 3306 runs the mysql check', async () => {
    const r = await check({ ...creds, port: 3306, params: { query: 'SELECT CURRENT_USER()', expect: { regex: `^${USER}@` } } });
    expect(r).toMatchObject({ score: 3, error: null, resolvedType: 'mysql' });
    expect(r.logs).toEqual([`team-1/database: Success Team1 : MySQL login as ${USER} and query to ${HOST}`]);
  });

  test('port 5432 runs the postgresql check', async () => {
    const r = await check({ ...creds, port: 5432, params: { query: 'SELECT current_user', expect: USER } });
    expect(r).toMatchObject({ score: 3, error: null, resolvedType: 'postgresql' });
  });

  test('another port uses params.protocol, which the resolved check accepts', async () => {
    const port = await freePort();
    const pgr = await check({ ...creds, port, params: { protocol: 'postgresql', query: 'SELECT 1' } });
    expect(pgr).toMatchObject({ score: 0, resolvedType: 'postgresql', error: `connection refused by ${HOST}:${port}` });
    const my = await check({ ...creds, port, params: { protocol: 'mysql' } });
    expect(my).toMatchObject({ score: 0, resolvedType: 'mysql', error: `connection refused by ${HOST}:${port}` });
  });

  test('an unknown port without params.protocol fails with what to do', async () => {
    const r = await check({ ...creds, port: 1433 });
    expect(r).toMatchObject({ score: 0, resolvedType: undefined });
    expect(r.error).toBe(
      "resolveMulti: team-1/database: cannot tell mysql from postgresql: port 1433 is neither 3306 (mysql) nor 5432 (postgresql); set params.protocol to 'mysql' or 'postgresql'",
    );
  });

  test('a protocol that is neither mysql nor postgresql is a params error', async () => {
    const r = await check({ ...creds, port: 1433, params: { protocol: 'mssql' } });
    expect(r.error).toMatch(/^resolveMulti: team-1\/database: params\.protocol: /);
  });
});

describe('database value helpers', () => {
  test('valueText renders what databases return', () => {
    expect(valueText(1)).toBe('1');
    expect(valueText(12345678901234567890n)).toBe('12345678901234567890');
    expect(valueText(null)).toBe('NULL');
    expect(valueText(null, '(nil)')).toBe('(nil)');
    expect(valueText(Buffer.from('bytes'))).toBe('bytes');
    expect(valueText(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(valueText(['a', 2, null])).toBe('a\n2\nNULL');
    expect(valueText({ a: 1 })).toBe('{"a":1}');
  });

  test('compareValue: equality or a content expectation', () => {
    expect(compareValue('query returned', 'x', 'x')).toBeNull();
    expect(compareValue('query returned', 'x', 'y')).toBe("query returned 'x', expected 'y'");
    expect(compareValue('PING replied', 'PONG', { contains: 'ON' })).toBeNull();
    expect(compareValue('q', 'a\nb', { regex: 'z' })).toBe("q 'a\\nb': /z/ did not match in 3 bytes");
    expect(compareValue('q', 'x'.repeat(100), 'y')).toBe(`q '${'x'.repeat(57)}...', expected 'y'`);
  });

  test('withoutSecret masks a password that a server might echo', () => {
    expect(withoutSecret("user 'bob' password 'hunter22' bad", 'hunter22')).toBe("user 'bob' password '***' bad");
    expect(withoutSecret('a b', 'a')).toBe('a b');
  });
});
