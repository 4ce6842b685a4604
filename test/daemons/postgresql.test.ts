// The postgresql check against a PostgreSQL 15 of its own (initdb with scram-sha-256, so
// a wrong password really fails), on 127.0.0.1 and a free port, run as user postgres.
import { execFileSync } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PostgresqlCheck } from '../../src/checks/postgresql.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const BIN = '/usr/lib/postgresql/15/bin';
const HOST = '127.0.0.1';
const SUPERUSER_PASSWORD = 'sk-Pg-super-3310';
const ROLE = 'sk_alice';
const PASSWORD = 'sk-Alice-pw-7702';
const DB = 'sk_scoring';

describe('postgresql check against PostgreSQL 15 (scram-sha-256)', () => {
  let dir: string;
  let daemon: Daemon;
  let port: number;
  let base: ServiceInit;

  beforeAll(async () => {
    dir = tempDir('postgres');
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    const pwfile = join(dir, 'superuser.pw');
    writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    chownSync(pwfile, uid, gid);
    const data = join(dir, 'data');
    execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync'], {
      stdio: 'pipe',
    });
    port = await freePort();
    // runuser's pid is not the server's; startDaemon stops the whole process group.
    daemon = await startDaemon({
      name: 'postgres',
      command: 'runuser',
      args: ['-u', 'postgres', '--', join(BIN, 'postgres'), '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      port,
      readyText: 'database system is ready to accept connections', // it listens before it accepts logins
    });
    const admin = new pg.Client({ host: HOST, port, user: 'postgres', password: SUPERUSER_PASSWORD, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await admin.query(`CREATE DATABASE ${DB} OWNER ${ROLE}`);
    await admin.end();
    const owner = new pg.Client({ host: HOST, port, user: ROLE, password: PASSWORD, database: DB });
    await owner.connect();
    await owner.query("CREATE TABLE flags (name text PRIMARY KEY, value text); INSERT INTO flags VALUES ('web', 'team-flag-7')");
    await owner.end();
    base = { host: HOST, port, username: ROLE, password: PASSWORD, points: 5, params: { database: DB, query: "SELECT value FROM flags WHERE name = 'web'" } };
  });

  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  async function check(init: Partial<ServiceInit>) {
    const before = activeResources();
    const r = await runCheck(new PostgresqlCheck(), { ...base, ...init }, { timeoutMs: 5000 });
    await expectNoLeakedResources(before);
    return r;
  }

  test('logs in with the password and reads the expected value', async () => {
    const r = await check({ params: { ...base.params, expect: 'team-flag-7' } });
    expect(r).toMatchObject({ score: 5, error: null });
    expect(r.logs).toEqual([`team-1/postgresql: Success Team1 : PostgreSQL login as ${ROLE} and query to ${HOST}:${port}`]);
  });

  test('a wrong password: 28P01, without the password in the message', async () => {
    const r = await check({ password: 'not-Alice-pw-1' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; login as ${ROLE} rejected (28P01 invalid password)` });
    expect(`${r.error} ${r.logs.join(' ')}`).not.toContain('not-Alice-pw-1');
  });

  test('wrong content', async () => {
    const r = await check({ params: { ...base.params, expect: 'team-flag-8' } });
    expect(r).toMatchObject({ score: 0, error: "query returned 'team-flag-7', expected 'team-flag-8'" });
  });

  test('nothing listening', async () => {
    const free = await freePort();
    expect(await check({ port: free })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${free}` });
  });
});
