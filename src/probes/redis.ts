/**
 * Redis probe (node-redis): connect with optional AUTH (password, or ACL user and
 * password), optional SELECT, one command, then disconnect. No reconnects: a lost
 * connection ends the probe. Its deadline or an abort of the check destroys the client.
 */
import { createClient } from 'redis';
import { abortRace } from './abort-race.js';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** What `probeRedis` needs. */
export interface RedisProbeOptions {
  readonly host: string;
  readonly port: number;
  /** ACL user; without it AUTH sends the password alone (the `default` user). */
  readonly username?: string;
  /** Without it no AUTH is sent. */
  readonly password?: string;
  /** Database index to SELECT before the command. */
  readonly database?: number;
  /** The command and its arguments, e.g. ["GET", "sk:flag"]. */
  readonly command: readonly string[];
  /** The probe's time limit; the step running when it fires is reported. */
  readonly deadline: ProbeDeadline;
}

/** The step at which a probe stopped: TCP connect, AUTH, SELECT, the command. */
export type RedisStep = 'connect' | 'login' | 'select' | 'command';

/** A probe that stopped before the end, and where. */
export interface RedisProbeFailure {
  readonly ok: false;
  readonly step: RedisStep;
  /** Whether the TCP connection had been established. */
  readonly connected: boolean;
  /** The server's error word (WRONGPASS, NOAUTH, ERR), Node's (ECONNREFUSED), CLOSED or TIMEOUT. */
  readonly code: string;
  readonly message: string;
}

/** What the probe saw: the command's reply, or the failed step. */
export type RedisProbeResult = { readonly ok: true; readonly reply: unknown } | RedisProbeFailure;

/**
 * Runs one Redis command. Resolves with the outcome of each step, including the probe's
 * own timeout (code TIMEOUT); rejects only with the abort reason when the check itself
 * is aborted. The client is always closed.
 */
export async function probeRedis(opts: RedisProbeOptions): Promise<RedisProbeResult> {
  const { deadline } = opts;
  const { signal } = deadline;
  if (signal.aborted) throw toError(signal.reason);
  const withAuth = opts.password !== undefined;
  const client = createClient({
    // connectTimeout 0: no timer of its own, the probe deadline bounds the connect.
    socket: { host: opts.host, port: opts.port, connectTimeout: 0, reconnectStrategy: false },
    ...(withAuth ? { password: opts.password } : {}),
    ...(withAuth && opts.username ? { username: opts.username } : {}),
    disableClientInfo: true,
    RESP: 2,
  });
  let connected = false;
  client.on('connect', () => (connected = true));
  client.on('error', () => undefined); // also delivered to the step that failed

  const steps = abortRace(signal, () => client.destroy());

  let step: RedisStep = 'connect';
  try {
    await steps.race(client.connect());
    if (opts.database !== undefined) {
      step = 'select';
      await steps.race(client.sendCommand(['SELECT', String(opts.database)]));
    }
    step = 'command';
    const reply: unknown = await steps.race(client.sendCommand([...opts.command]));
    await steps.race(client.close()).catch(() => undefined);
    if (signal.aborted && !deadline.timedOut()) throw toError(signal.reason);
    return { ok: true, reply };
  } catch (err) {
    if (signal.aborted) {
      if (!deadline.timedOut()) throw toError(signal.reason);
      if (step === 'connect' && connected && withAuth) step = 'login';
      return { ok: false, step, connected, code: 'TIMEOUT', message: `no answer within ${deadline.seconds()} s` };
    }
    const e = err as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    const serverWord = /^([A-Z][A-Z_]+) /.exec(message)?.[1];
    const code = typeof e.code === 'string' ? e.code : (serverWord ?? libraryCode(err));
    // connect() also sends AUTH: a server error there is a login failure.
    if (step === 'connect' && connected && serverWord !== undefined) step = 'login';
    return { ok: false, step, connected, code, message };
  } finally {
    steps.stop();
    if (client.isOpen) client.destroy();
  }
}

/** node-redis's own failures as codes: the server hung up, or the TCP connect timed out. */
function libraryCode(err: unknown): string {
  const name = err instanceof Error ? err.constructor.name : '';
  if (name === 'SocketClosedUnexpectedlyError') return 'CLOSED';
  if (name === 'ConnectionTimeoutError') return 'ETIMEDOUT';
  return 'UNKNOWN';
}
