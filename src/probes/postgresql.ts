/**
 * PostgreSQL probe (pg): a single Client (no pool) that connects, logs in, runs one
 * query and ends. It owns the TCP socket, so its deadline or an abort of the check
 * destroys it at once.
 */
import { Socket } from 'node:net';
import pg from 'pg';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** What `probePostgresql` needs. */
export interface PostgresqlProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly query: string;
  /** The probe's time limit; the step running when it fires is reported. */
  readonly deadline: ProbeDeadline;
}

/** The step at which a probe stopped: TCP connect and startup, authentication, query. */
export type PostgresqlStep = 'connect' | 'login' | 'query';

/** A probe that stopped before the end, and where. */
export interface PostgresqlProbeFailure {
  readonly ok: false;
  readonly step: PostgresqlStep;
  /** Whether the TCP connection had been established. */
  readonly connected: boolean;
  /** Whether the server had answered the startup message. */
  readonly answered: boolean;
  /** SQLSTATE from the server (28P01), Node's code (ECONNREFUSED), CLOSED or TIMEOUT. */
  readonly code: string;
  readonly message: string;
}

/** What the probe saw: the first column of the first row, or the failed step. */
export type PostgresqlProbeResult =
  | {
      readonly ok: true;
      /** Rows returned by the (last) statement. */
      readonly rowCount: number;
      /** First column of the first row in PostgreSQL's text form (null for NULL); undefined when there is no row. */
      readonly value: unknown;
    }
  | PostgresqlProbeFailure;

/**
 * Logs in to a PostgreSQL server and runs `query`. Resolves with the outcome of each
 * step, including the probe's own timeout (code TIMEOUT); rejects only with the abort
 * reason when the check itself is aborted. The client is always ended.
 */
export async function probePostgresql(opts: PostgresqlProbeOptions): Promise<PostgresqlProbeResult> {
  const { deadline } = opts;
  const { signal } = deadline;
  if (signal.aborted) throw toError(signal.reason);
  const socket = new Socket();
  let connected = false;
  let answered = false;
  socket.once('connect', () => (connected = true));
  socket.once('data', () => (answered = true));
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
      reject(toError(signal.reason));
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
    // The answer is known: a server slow to close only costs time, not the result.
    await Promise.race([client.end(), aborted]).catch(() => undefined);
    if (signal.aborted && !deadline.timedOut()) throw toError(signal.reason);
    return { ok: true, rowCount: rows.length, value: rows[0]?.[0] };
  } catch (err) {
    if (signal.aborted) {
      if (!deadline.timedOut()) throw toError(signal.reason);
      if (step === 'connect' && answered) step = 'login';
      return { ok: false, step, connected, answered, code: 'TIMEOUT', message: `no answer within ${deadline.seconds()} s` };
    }
    const e = err as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    let code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
    if (code === 'UNKNOWN' && /Connection terminated/.test(message)) code = 'CLOSED';
    // A server error during startup (a SQLSTATE) is a login failure.
    if (step === 'connect' && connected && /^[0-9A-Z]{5}$/.test(code)) step = 'login';
    return { ok: false, step, connected, answered, code, message };
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A no-op once ended; after a failure or an abort it just drops the connection.
    client.end().catch(() => undefined);
    socket.destroy();
  }
}
