/**
 * POP3 probe (node-pop3): greeting, USER/PASS login, then STAT and, when asked, UIDL.
 * node-pop3 leaves a command pending forever when the connection drops, so every step
 * is raced against the probe deadline and the socket is destroyed on every outcome.
 */
import Pop3Command from 'node-pop3';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError } from './tcp-session.js';

/** What to probe. */
export interface Pop3ProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.25:110`, used in messages. */
  readonly target: string;
  /** Implicit TLS (POP3S, 995); certificates are not verified. */
  readonly tls: boolean;
  readonly username: string;
  readonly password: string;
  /** Also list the unique ids (UIDL). */
  readonly uidl: boolean;
  readonly deadline: ProbeDeadline;
}

/** What the mailbox looked like after login. */
export interface Pop3Mailbox {
  readonly messages: number;
  readonly bytes: number;
  /** Unique ids, when `uidl` was asked for. */
  readonly uids: readonly string[] | undefined;
}

/** Outcome of a POP3 probe. */
export type Pop3ProbeResult =
  | { readonly ok: true; readonly mailbox: Pop3Mailbox }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

type Step = 'connect' | 'USER' | 'PASS' | 'STAT' | 'UIDL';

/** Runs the probe; never rejects. */
export async function probePop3(opts: Pop3ProbeOptions): Promise<Pop3ProbeResult> {
  const { deadline } = opts;
  if (deadline.signal.aborted) return abortResult(opts, 'connect');
  const pop = new Pop3Command({
    host: opts.host,
    port: opts.port,
    tls: opts.tls,
    tlsOptions: { rejectUnauthorized: false },
    user: opts.username,
    password: opts.password,
  });
  pop.on('error', () => undefined); // server errors outside a command must not crash the process
  let step: Step = 'connect';
  const race = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new Error('aborted'));
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
    });
  try {
    await race(pop.connect());
    step = 'USER';
    await race(pop.command('USER', opts.username));
    step = 'PASS';
    await race(pop.command('PASS', opts.password));
    step = 'STAT';
    const [stat] = await race(pop.command('STAT'));
    const [messages, bytes] = stat.trim().split(/\s+/).map(Number);
    let uids: string[] | undefined;
    if (opts.uidl) {
      step = 'UIDL';
      const [, stream] = await race(pop.command('UIDL'));
      const listing = await race(Pop3Command.stream2String(stream) as Promise<string>);
      uids = Pop3Command.listify(listing).map((fields) => fields[1] ?? '');
    }
    await race(pop.command('QUIT')).catch(() => undefined);
    return { ok: true, mailbox: { messages: messages ?? 0, bytes: bytes ?? 0, uids } };
  } catch (err) {
    if (deadline.signal.aborted) return abortResult(opts, step);
    return { ok: false, error: describeError(err as NodeJS.ErrnoException, step, opts) };
  } finally {
    pop._socket?.destroy();
    pop._stream?.destroy();
  }
}

function abortResult(opts: Pop3ProbeOptions, step: Step): Pop3ProbeResult {
  if (!opts.deadline.timedOut()) return { ok: false, error: 'aborted', aborted: true };
  const s = opts.deadline.seconds();
  if (step === 'connect') return { ok: false, error: `no POP3 greeting from ${opts.target} within ${s} s` };
  if (step === 'USER' || step === 'PASS') return { ok: false, error: `connected to ${opts.target}; login as ${opts.username} not answered within ${s} s` };
  return { ok: false, error: `logged in to ${opts.target} as ${opts.username}; ${step} not answered within ${s} s` };
}

function describeError(err: NodeJS.ErrnoException, step: Step, opts: Pop3ProbeOptions): string {
  const closed = err.message === 'close' || err.message === 'end' || err.message === 'no-socket';
  if (step === 'connect') {
    if (err.code) return describeConnectError(err, opts.target);
    if (closed) return `${opts.target} closed the connection before its POP3 greeting`;
    return `${opts.target} sent no usable POP3 greeting (${err.message})`;
  }
  const reply = closed ? 'the server closed the connection' : `-ERR ${err.message.trim()}`;
  if (step === 'USER' || step === 'PASS') return `connected to ${opts.target}; login as ${opts.username} rejected (${reply})`;
  return `logged in to ${opts.target} as ${opts.username}; ${step} failed (${reply})`;
}
