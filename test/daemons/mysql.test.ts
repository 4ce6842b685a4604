// The mysql check against a MariaDB server of its own (mariadb-install-db into a temp
// dir), on 127.0.0.1 and a free port; the machine's MariaDB on 3306 is not touched.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MysqlCheck } from '../../src/checks/mysql.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const HOST = '127.0.0.1';
const USER = 'sk_bob';
const PASSWORD = 'sk-Bob-pw-5150';
const DB = 'sk_scoring';

describe('mysql check against MariaDB', () => {
  let dir: string;
  let daemon: Daemon;
  let port: number;
  let base: ServiceInit;

  beforeAll(async () => {
    dir = tempDir('mariadb');
    const data = join(dir, 'data');
    const socket = join(dir, 'mysqld.sock');
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
      { stdio: 'pipe' },
    );
    port = await freePort();
    daemon = await startDaemon({
      name: 'mariadbd',
      command: 'mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'mariadbd.pid')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
      ],
      port,
    });
    const admin = await mysql.createConnection({ socketPath: socket, user: 'root', password: '' });
    await admin.query(`CREATE DATABASE ${DB}`);
    await admin.query(`CREATE TABLE ${DB}.flags (name VARCHAR(32) PRIMARY KEY, value VARCHAR(64))`);
    await admin.query(`INSERT INTO ${DB}.flags VALUES ('web', 'team-flag-3')`);
    await admin.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await admin.query(`GRANT SELECT ON ${DB}.* TO '${USER}'@'%'`);
    await admin.end();
    base = { host: HOST, port, username: USER, password: PASSWORD, points: 5, params: { database: DB, query: "SELECT value FROM flags WHERE name = 'web'" } };
  });

  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  async function check(init: Partial<ServiceInit>) {
    const before = activeResources();
    const r = await runCheck(new MysqlCheck(), { ...base, ...init }, { timeoutMs: 5000 });
    await expectNoLeakedResources(before);
    return r;
  }

  test('logs in and reads the expected value', async () => {
    const r = await check({ params: { ...base.params, expect: 'team-flag-3' } });
    expect(r).toMatchObject({ score: 5, error: null });
    expect(r.logs).toEqual([`team-1/mysql: Success Team1 : MySQL login as ${USER} and query to ${HOST}:${port}`]);
  });

  test('a wrong password: ER_ACCESS_DENIED_ERROR, without the password in the message', async () => {
    const r = await check({ password: 'not-Bob-pw-1' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; login as ${USER} rejected (ER_ACCESS_DENIED_ERROR)` });
    expect(`${r.error} ${r.logs.join(' ')}`).not.toContain('not-Bob-pw-1');
  });

  test('wrong content', async () => {
    const r = await check({ params: { ...base.params, expect: 'team-flag-4' } });
    expect(r).toMatchObject({ score: 0, error: "query returned 'team-flag-3', expected 'team-flag-4'" });
  });

  test('a database that does not exist', async () => {
    const r = await check({ params: { database: 'sk_missing' } });
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; database 'sk_missing' is not available to ${USER} (ER_DBACCESS_DENIED_ERROR)` });
  });

  test('nothing listening', async () => {
    const free = await freePort();
    expect(await check({ port: free })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${free}` });
  });
});
