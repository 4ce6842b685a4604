/**
 * postgresql: login and SELECT 1, with pg (the check's library), against the machine's
 * PostgreSQL on 127.0.0.1:5432, database test (trust authentication). The engine side
 * stores its results on the same server, as a small competition would.
 */
import pg from 'pg';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The postgresql side of the protocol benchmark. */
export const postgresqlBench: ProtocolBench = {
  type: 'postgresql',
  steps: 'login, SELECT 1',
  checks: 400,
  requires: [],
  async start() {
    return { target: { host: '127.0.0.1', port: 5432, username: 'postgres', password: 'unused-trust', params: { database: 'test' } }, stop: async () => undefined };
  },
  async bare(t, signal) {
    const client = new pg.Client({ host: t.host, port: t.port, user: t.username, password: t.password, database: 'test', application_name: 'scorekeeper', types: { getTypeParser: () => (text: string) => text } });
    client.on('error', () => undefined);
    const onAbort = () => void client.end().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect();
      const r = await client.query({ text: 'SELECT 1', rowMode: 'array' });
      await client.end();
      return r.rows.length === 1;
    } catch {
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
