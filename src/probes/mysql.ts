/**
 * MySQL/MariaDB probe (mysql2): connect, log in, run one query, disconnect. It owns the
 * TCP socket, so its deadline or an abort of the check destroys it at once, whatever
 * step the protocol is in.
 */
import { Socket } from 'node:net';
import mysql from 'mysql2';
import { abortRace } from './abort-race.js';
import type { SqlProbeResult, SqlStep } from './sql-probe-result.js';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** What `probeMysql` needs. */
export interface MysqlProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database?: string;
  readonly query: string;
  /** The probe's time limit; the step running when it fires is reported. */
  readonly deadline: ProbeDeadline;
}

/**
 * Logs in to a MySQL/MariaDB server and runs `query`. Resolves with the outcome of each
 * step, including the probe's own timeout (code TIMEOUT); rejects only with the abort
 * reason when the check itself is aborted. The socket is always destroyed.
 */
export async function probeMysql(opts: MysqlProbeOptions): Promise<SqlProbeResult> {
  const { deadline } = opts;
  const { signal } = deadline;
  if (signal.aborted) throw toError(signal.reason);
  const socket = new Socket();
  socket.setNoDelay(true);
  let connected = false;
  let answered = false;
  socket.once('connect', () => (connected = true));
  socket.once('data', () => (answered = true));
  socket.connect(opts.port, opts.host);

  const conn = mysql.createConnection({
    stream: socket,
    user: opts.user,
    password: opts.password,
    ...(opts.database !== undefined ? { database: opts.database } : {}),
    connectTimeout: 0, // the probe deadline bounds the handshake
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  conn.on('error', () => undefined); // every error also reaches the step's callback

  const steps = abortRace(signal, () => socket.destroy());

  let step: SqlStep = 'connect';
  try {
    await steps.race(new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))));
    step = 'query';
    const rows = await steps.race(
      new Promise<unknown>((resolve, reject) => conn.query({ sql: opts.query, rowsAsArray: true }, (err, result) => (err ? reject(err) : resolve(result)))),
    );
    const list = Array.isArray(rows) ? (rows as unknown[]) : [];
    const first = list[0];
    // Say goodbye (COM_QUIT) so the server does not log an aborted connection; the
    // answer is already known, so a server that never closes only costs time.
    await steps.race(new Promise<void>((resolve) => conn.end(() => resolve()))).catch(() => undefined);
    if (signal.aborted && !deadline.timedOut()) throw toError(signal.reason);
    return { ok: true, rowCount: list.length, value: Array.isArray(first) ? (first as unknown[])[0] : undefined };
  } catch (err) {
    if (signal.aborted) {
      if (!deadline.timedOut()) throw toError(signal.reason);
      if (step === 'connect' && answered) step = 'login'; // greeted, login not answered
      return { ok: false, step, connected, answered, code: 'TIMEOUT', message: `no answer within ${deadline.seconds()} s` };
    }
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
    const message = typeof e.message === 'string' ? e.message : String(err);
    // A server error during the handshake (it has an ER_ code) is a login failure.
    if (step === 'connect' && code.startsWith('ER_')) step = 'login';
    return { ok: false, step, connected, answered, code, message };
  } finally {
    steps.stop();
    conn.destroy();
    socket.destroy();
  }
}
