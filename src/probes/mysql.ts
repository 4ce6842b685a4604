/**
 * MySQL/MariaDB probe (mysql2): connect, log in, run one query, disconnect. It owns the
 * TCP socket, so an abort destroys it at once, whatever step the protocol is in.
 */
import { Socket } from 'node:net';
import mysql from 'mysql2';

/** What `probeMysql` needs. Bounded by `signal`; `timeoutMs` also bounds the handshake. */
export interface MysqlProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database?: string;
  readonly query: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** The step at which a probe stopped. */
export type MysqlStep = 'connect' | 'login' | 'query';

/** What the probe saw: the first column of the first row, or the failed step. */
export type MysqlProbeResult =
  | {
      readonly ok: true;
      /** Rows returned (0 for statements without a result set). */
      readonly rowCount: number;
      /** First column of the first row; undefined when there is no row. */
      readonly value: unknown;
    }
  | {
      readonly ok: false;
      readonly step: MysqlStep;
      /** Whether the TCP connection had been established. */
      readonly connected: boolean;
      /** Server error name (ER_ACCESS_DENIED_ERROR), Node's (ECONNREFUSED) or mysql2's. */
      readonly code: string;
      readonly message: string;
    };

/**
 * Logs in to a MySQL/MariaDB server and runs `query`. Resolves with the outcome of each
 * step; rejects only with `signal.reason` when aborted. The socket is always closed.
 */
export async function probeMysql(opts: MysqlProbeOptions): Promise<MysqlProbeResult> {
  const { signal } = opts;
  signal.throwIfAborted();
  const socket = new Socket();
  socket.setNoDelay(true);
  let connected = false;
  socket.once('connect', () => (connected = true));
  socket.connect(opts.port, opts.host);

  const conn = mysql.createConnection({
    stream: socket,
    user: opts.user,
    password: opts.password,
    ...(opts.database !== undefined ? { database: opts.database } : {}),
    connectTimeout: Math.max(1, opts.timeoutMs),
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  conn.on('error', () => undefined); // every error is also delivered to the step's callback

  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      socket.destroy();
      reject(signal.reason as Error);
    };
  });
  aborted.catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });

  let step: MysqlStep = 'connect';
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))),
      aborted,
    ]);
    step = 'query';
    const rows = await Promise.race([
      new Promise<unknown>((resolve, reject) =>
        conn.query({ sql: opts.query, rowsAsArray: true }, (err, result) => (err ? reject(err) : resolve(result))),
      ),
      aborted,
    ]);
    await Promise.race([new Promise<void>((resolve) => conn.end(() => resolve())), aborted]);
    const list = Array.isArray(rows) ? (rows as unknown[]) : [];
    const first = list[0];
    return { ok: true, rowCount: list.length, value: Array.isArray(first) ? (first as unknown[])[0] : undefined };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const e = err as { code?: unknown; message?: unknown; fatal?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
    const message = typeof e.message === 'string' ? e.message : String(err);
    // A server error during the handshake (it has an ER_ code) is a login failure.
    if (step === 'connect' && code.startsWith('ER_')) step = 'login';
    return { ok: false, step, connected, code, message };
  } finally {
    signal.removeEventListener('abort', onAbort);
    conn.destroy();
    socket.destroy();
  }
}
