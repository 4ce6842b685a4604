/**
 * IMAP probe (imapflow): greeting, (STARTTLS when offered,) login, then optionally the
 * STATUS of one mailbox. A bad login is imapflow's `authenticationFailed`; every step is
 * raced against the probe deadline and the connection is closed on every outcome.
 */
import { ImapFlow } from 'imapflow';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError } from './tcp-session.js';

/** What to probe. */
export interface ImapProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.25:143`, used in messages. */
  readonly target: string;
  /** Implicit TLS (IMAPS, 993); certificates are never verified. */
  readonly secure: boolean;
  readonly username: string;
  readonly password: string;
  /** Mailbox whose message count is read with STATUS. */
  readonly mailbox?: string;
  readonly deadline: ProbeDeadline;
}

/** Outcome of an IMAP probe: the mailbox's message count when one was asked for. */
export type ImapProbeResult =
  | { readonly ok: true; readonly messages: number | undefined }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

interface ImapError extends Error {
  code?: string;
  authenticationFailed?: boolean;
  responseStatus?: string;
  responseText?: string;
  response?: unknown;
}

/** Runs the probe; never rejects. */
export async function probeImap(opts: ImapProbeOptions): Promise<ImapProbeResult> {
  const { deadline } = opts;
  if (deadline.signal.aborted) return abortResult(opts, 'login');
  // the library's own timeouts only back up the probe deadline, which names the step
  const backstop = deadline.ms + 1000;
  const client = new ImapFlow({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: { user: opts.username, pass: opts.password },
    tls: { rejectUnauthorized: false }, // self-signed team certificates
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: backstop,
    greetingTimeout: backstop,
    socketTimeout: backstop,
  });
  client.on('error', () => undefined); // reported through the rejected command instead
  let step: 'login' | 'status' = 'login';
  const race = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new Error('aborted'));
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
    });
  try {
    await race(client.connect());
    let messages: number | undefined;
    if (opts.mailbox !== undefined) {
      step = 'status';
      const status = await race(client.status(opts.mailbox, { messages: true }));
      messages = status ? (status.messages ?? 0) : undefined;
      if (messages === undefined) return { ok: false, error: `${loggedIn(opts)}; STATUS of mailbox '${opts.mailbox}' returned nothing` };
    }
    await race(client.logout()).catch(() => undefined);
    return { ok: true, messages };
  } catch (err) {
    if (deadline.signal.aborted) return abortResult(opts, step);
    return { ok: false, error: describeError(err as ImapError, step, opts) };
  } finally {
    client.close();
  }
}

function loggedIn(opts: ImapProbeOptions): string {
  return `logged in to ${opts.target} as ${opts.username}`;
}

function abortResult(opts: ImapProbeOptions, step: 'login' | 'status'): ImapProbeResult {
  if (!opts.deadline.timedOut()) return { ok: false, error: 'aborted', aborted: true };
  const s = opts.deadline.seconds();
  return step === 'login'
    ? { ok: false, error: `no IMAP greeting and login reply from ${opts.target} within ${s} s` }
    : { ok: false, error: `${loggedIn(opts)}; STATUS of mailbox '${opts.mailbox ?? ''}' not answered within ${s} s` };
}

function describeError(err: ImapError, step: 'login' | 'status', opts: ImapProbeOptions): string {
  const text = (err.responseText ?? (typeof err.response === 'string' ? err.response : '')).trim();
  if (step === 'status') {
    // imapflow: code NotFound (TRYCREATE/NONEXISTENT), the server's text as the message
    const reason = (text || err.message).replace(/\s*\([\d.+ ]+secs\)\.?$/, '');
    const missing = err.code === 'NotFound' || /exist|not found|unknown/i.test(reason);
    return `${loggedIn(opts)}; mailbox '${opts.mailbox ?? ''}' ${missing ? 'does not exist' : 'is not readable'}${reason ? ` (${reason})` : ''}`;
  }
  if (err.authenticationFailed) return `connected to ${opts.target}; login as ${opts.username} rejected${text ? ` (${text})` : ''}`;
  if (err.code && /^E[A-Z]+$/.test(err.code)) return describeConnectError(err, opts.target);
  return `${opts.target}: IMAP login as ${opts.username} failed: ${text || err.message}`;
}
