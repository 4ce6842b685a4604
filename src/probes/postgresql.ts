/**
 * PostgreSQL probe (pg): a single Client (no pool) that connects, logs in, runs one
 * query and ends. It owns the TCP socket, so its deadline or an abort of the check
 * destroys it at once.
 */
import { Socket } from 'node:net';
import pg from 'pg';
import { abortRace } from './abort-race.js';
import type { SqlProbeResult, SqlStep } from './sql-probe-result.js';
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

/**
 * Logs in to a PostgreSQL server and runs `query`. Resolves with the outcome of each
 * step, including the probe's own timeout (code TIMEOUT); rejects only with the abort
 * reason when the check itself is aborted. The client is always ended.
 */
export async function probePostgresql(opts: PostgresqlProbeOptions): Promise<SqlProbeResult> {
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

  const steps = abortRace(signal, () => socket.destroy());

  let step: SqlStep = 'connect';
  try {
    await steps.race(client.connect());
    step = 'query';
    const result: unknown = await steps.race(client.query({ text: opts.query, rowMode: 'array' }));
    // A multi-statement query yields one result per statement: judge the last one.
    const last = (Array.isArray(result) ? result[result.length - 1] : result) as { rows?: unknown[][] } | undefined;
    const rows = last?.rows ?? [];
    // The answer is known: a server slow to close only costs time, not the result.
    await steps.race(client.end()).catch(() => undefined);
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
    steps.stop();
    // A no-op once ended; after a failure or an abort it just drops the connection.
    client.end().catch(() => undefined);
    socket.destroy();
  }
}
