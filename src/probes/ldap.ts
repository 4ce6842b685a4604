/**
 * LDAP probe (ldapts): connect (ldap://, ldaps:// or StartTLS), simple bind, then
 * optionally one search. ldapts opens its socket through `createConnection`, which lets
 * the probe hold it and destroy it at the deadline, on an abort and at the end.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Client, InvalidCredentialsError, ResultCodeError, type Entry } from 'ldapts';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError } from './tcp-session.js';

/** What to probe. */
export interface LdapProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.30:389`, used in messages. */
  readonly target: string;
  /** `ldaps` (implicit TLS), `starttls`, or plain `ldap`. Certificates are not verified. */
  readonly security: 'ldap' | 'ldaps' | 'starttls';
  /** Bind name as sent: a DN, or `user@domain` for Active Directory. */
  readonly bindName: string;
  readonly password: string;
  readonly search?: {
    readonly base: string;
    readonly filter: string;
    readonly scope: 'base' | 'one' | 'sub';
    readonly attributes: readonly string[];
    readonly sizeLimit: number;
  };
  readonly deadline: ProbeDeadline;
}

/** Outcome of an LDAP probe: the entries found when a search was asked for. */
export type LdapProbeResult =
  | { readonly ok: true; readonly entries: readonly Entry[] | undefined }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

type Step = 'connect' | 'starttls' | 'bind' | 'search';

/** Runs the probe; never rejects. */
export async function probeLdap(opts: LdapProbeOptions): Promise<LdapProbeResult> {
  const { deadline } = opts;
  if (deadline.signal.aborted) return abortResult(opts, 'connect');
  const sockets: Socket[] = [];
  let connected = false;
  const track = <S extends Socket>(s: S): S => {
    sockets.push(s);
    s.once('connect', () => (connected = true));
    s.once('secureConnect', () => (connected = true));
    return s;
  };
  // the library's own timeouts only back up the probe deadline, which names the step
  const backstop = deadline.ms + 1000;
  const client = new Client({
    url: `${opts.security === 'ldaps' ? 'ldaps' : 'ldap'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`,
    timeout: backstop,
    connectTimeout: backstop,
    // ldapts speaks TLS from the start whenever tlsOptions is set: only for ldaps
    ...(opts.security === 'ldaps' ? { tlsOptions: { rejectUnauthorized: false } } : {}), // self-signed team certificates
    strictDN: false,
    createConnection: ((port: number, host: string) => track(connect(port, host))) as typeof connect,
    createSecureConnection: ((...args: Parameters<typeof tlsConnect>) => track(tlsConnect(...args))) as typeof tlsConnect,
  });
  let step: Step = 'connect';
  const race = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new Error('aborted'));
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
    });
  try {
    if (opts.security === 'starttls') {
      step = 'starttls';
      await race(client.startTLS({ rejectUnauthorized: false }));
    }
    step = 'bind';
    await race(client.bind(opts.bindName, opts.password));
    let entries: Entry[] | undefined;
    if (opts.search) {
      step = 'search';
      const { base, filter, scope, attributes, sizeLimit } = opts.search;
      const result = await race(client.search(base, { filter, scope, attributes: [...attributes], sizeLimit }));
      entries = result.searchEntries;
    }
    await race(client.unbind()).catch(() => undefined);
    return { ok: true, entries };
  } catch (err) {
    if (deadline.signal.aborted) return abortResult(opts, step, connected);
    return { ok: false, error: describeError(err, step, connected, opts) };
  } finally {
    for (const s of sockets) s.destroy();
  }
}

function abortResult(opts: LdapProbeOptions, step: Step, connected = false): LdapProbeResult {
  if (!opts.deadline.timedOut()) return { ok: false, error: 'aborted', aborted: true };
  const s = opts.deadline.seconds();
  if (!connected) return { ok: false, error: `no answer from ${opts.target} within ${s} s` };
  const error = {
    connect: `connected to ${opts.target}; no LDAP answer within ${s} s`,
    starttls: `connected to ${opts.target}; StartTLS did not finish within ${s} s`,
    bind: `connected to ${opts.target}; bind as ${opts.bindName} not answered within ${s} s`,
    search: `bound to ${opts.target} as ${opts.bindName}; search of '${opts.search?.base ?? ''}' not answered within ${s} s`,
  }[step];
  return { ok: false, error };
}

function describeError(err: unknown, step: Step, connected: boolean, opts: LdapProbeOptions): string {
  const e = err as NodeJS.ErrnoException;
  if (!connected && typeof e.code === 'string') return describeConnectError(e, opts.target);
  const detail = err instanceof ResultCodeError ? `${resultText(err)} (${err.code})` : e.message;
  switch (step) {
    case 'connect':
    case 'starttls':
      return `connected to ${opts.target}; StartTLS failed: ${detail}`;
    case 'bind':
      if (err instanceof InvalidCredentialsError) return `connected to ${opts.target}; bind as ${opts.bindName} rejected (invalid credentials)`;
      return `connected to ${opts.target}; bind as ${opts.bindName} failed: ${detail}`;
    case 'search':
      return `bound to ${opts.target} as ${opts.bindName}; search of '${opts.search?.base ?? ''}' failed: ${detail}`;
  }
}

/** "NoSuchObjectError" → "no such object", "InvalidDNSyntaxError" → "invalid DN syntax". */
function resultText(err: ResultCodeError): string {
  return err.name
    .replace(/Error$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((w) => (w.length > 1 && w === w.toUpperCase() ? w : w.toLowerCase()))
    .join(' ');
}
