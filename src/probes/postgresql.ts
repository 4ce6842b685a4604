/**
 * PostgreSQL probe (pg): a single Client (no pool) that connects, logs in, runs one
 * query and ends. It owns the TCP socket, so an abort destroys it at once.
 */
import { Socket } from 'node:net';
import pg from 'pg';

/** What `probePostgresql` needs. Bounded by `signal`. */
export interface PostgresqlProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly query: string;
  readonly signal: AbortSignal;
}

/** The step at which a probe stopped. */
export type PostgresqlStep = 'connect' | 'login' | 'query';

/** What the probe saw: the first column of the first row, or the failed step. */
export type PostgresqlProbeResult =
  | {
      readonly ok: true;
      /** Rows returned by the (last) statement. */
      readonly rowCount: number;
      /** First column of the first row in PostgreSQL's text form (null for NULL); undefined when there is no row. */
      readonly value: unknown;
    }
  | {
      readonly ok: false;
      readonly step: PostgresqlStep;
      /** Whether the TCP connection had been established. */
      readonly connected: boolean;
      /** SQLSTATE from the server (28P01), Node's code (ECONNREFUSED), or 'CLOSED'. */
      readonly code: string;
      readonly message: string;
    };

/**
 * Logs in to a PostgreSQL server and runs `query`. Resolves with the outcome of each
 * step; rejects only with `signal.reason` when aborted. The client is always ended.
 */
export async function probePostgresql(opts: PostgresqlProbeOptions): Promise<PostgresqlProbeResult> {
  const { signal } = opts;
  signal.throwIfAborted();
  const socket = new Socket();
  let connected = false;
  socket.once('connect', () => (connected = true));
  const client = new pg.Client({
    host: opts.host,
    port: opts.port,
    user: opts.user,
    password: opts.password,
    database: opts.database,
    application_name: 'scorekeeper',
    stream: () => socket,
    // Values as PostgreSQL prints them (psql's text: 't', '2026-01-01 10:00:00+00'), not parsed.
    types: { getTypeParser: () => (text: string) => text },
  });
  client.on('error', () => undefined); // late errors (server gone) must not crash the process

  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      socket.destroy();
      reject(signal.reason as Error);
    };
  });
  aborted.catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });

  let step: PostgresqlStep = 'connect';
  try {
    await Promise.race([client.connect(), aborted]);
    step = 'query';
    const result: unknown = await Promise.race([client.query({ text: opts.query, rowMode: 'array' }), aborted]);
    // A multi-statement query yields one result per statement: judge the last one.
    const last = (Array.isArray(result) ? result[result.length - 1] : result) as { rows?: unknown[][] } | undefined;
    const rows = last?.rows ?? [];
    await Promise.race([client.end(), aborted]);
    return { ok: true, rowCount: rows.length, value: rows[0]?.[0] };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const e = err as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    let code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
    if (code === 'UNKNOWN' && /Connection terminated/.test(message)) code = 'CLOSED';
    // A server error during startup (a SQLSTATE) is a login failure.
    if (step === 'connect' && /^[0-9A-Z]{5}$/.test(code) && connected) step = 'login';
    return { ok: false, step, connected, code, message };
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A no-op once ended; after a failure or an abort it just drops the connection.
    client.end().catch(() => undefined);
    socket.destroy();
  }
}
