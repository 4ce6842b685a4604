/**
 * mysql: login and SELECT 1, with mysql2 (the check's library), against the machine's
 * MariaDB on 127.0.0.1:3306, as a user the benchmark creates (root logs in by socket).
 */
import mysql from 'mysql2/promise';
import type { ProtocolBench } from '../lib/protocol-bench.js';

const USER = 'sk_bench';
const PASSWORD = 'sk-Bench-pw-2626';

/** The mysql side of the protocol benchmark. */
export const mysqlBench: ProtocolBench = {
  type: 'mysql',
  steps: 'login, SELECT 1',
  checks: 400,
  requires: ['mariadbd'],
  async start() {
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await admin.query(`CREATE USER IF NOT EXISTS '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await admin.end();
    return { target: { host: '127.0.0.1', port: 3306, username: USER, password: PASSWORD, params: {} }, stop: async () => undefined };
  },
  async bare(t, signal) {
    let conn: mysql.Connection | undefined;
    const onAbort = () => conn?.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      conn = await mysql.createConnection({ host: t.host, port: t.port, user: t.username, password: t.password });
      const [rows] = await conn.query({ sql: 'SELECT 1', rowsAsArray: true });
      await conn.end();
      return (rows as unknown[]).length === 1;
    } catch {
      conn?.destroy();
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
