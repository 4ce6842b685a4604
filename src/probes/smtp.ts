/**
 * SMTP probe: connect, greeting and EHLO (with STARTTLS when offered or required),
 * optional AUTH, then one small message from `from` to `to`. Each step that fails is
 * named with the server's reply ("connected to 10.7.1.25:25; recipient bob@team7.local
 * rejected: 550 5.7.1 Relaying denied"). The connection is closed on every outcome.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError } from './tcp-session.js';

/** What to probe. */
export interface SmtpProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.25:25`, used in messages. */
  readonly target: string;
  /** Implicit TLS (port 465). */
  readonly secure: boolean;
  /** STARTTLS: use it when offered, insist on it, or never. */
  readonly starttls: 'opportunistic' | 'required' | 'never';
  /** Name sent with EHLO. */
  readonly heloName: string;
  /** AUTH credentials; no AUTH when absent. */
  readonly auth?: { readonly username: string; readonly password: string };
  readonly from: string;
  readonly to: string;
  /** The whole RFC 5322 message. */
  readonly message: string;
  readonly deadline: ProbeDeadline;
}

/** Outcome of an SMTP probe: the server's final reply when the message was accepted. */
export type SmtpProbeResult =
  | { readonly ok: true; readonly response: string }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

type Step = 'greeting' | 'auth' | 'send';

interface SmtpError extends Error {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  rejected?: string[];
}

/** Runs the probe; never rejects. */
export function probeSmtp(opts: SmtpProbeOptions): Promise<SmtpProbeResult> {
  const { deadline, target } = opts;
  // the probe deadline ends every step; the library's own timers (minutes by default)
  // only back it up, a little later, so its generic messages never win the race
  const backstop = deadline.ms + 1000;
  return new Promise((resolve) => {
    const conn = new SMTPConnection({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      ignoreTLS: opts.starttls === 'never',
      requireTLS: opts.starttls === 'required',
      name: opts.heloName,
      tls: { rejectUnauthorized: false }, // team servers use self-signed certificates
      socketCloseTimeout: 0,
      connectionTimeout: backstop,
      greetingTimeout: backstop,
      socketTimeout: backstop,
    });
    let step: Step = 'greeting';
    let settled = false;
    const finish = (result: SmtpProbeResult): void => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onAbort);
      conn.close();
      resolve(result);
    };
    const fail = (err: SmtpError): void => finish({ ok: false, error: describeError(err, step, opts, conn.stage === 'connected') });
    const onAbort = (): void => {
      if (!deadline.timedOut()) return finish({ ok: false, error: 'aborted', aborted: true });
      const s = deadline.seconds();
      const error =
        conn.stage !== 'connected'
          ? `no answer from ${target} within ${s} s`
          : {
              greeting: `connected to ${target}; no SMTP greeting and EHLO reply within ${s} s`,
              auth: `connected to ${target}; login as ${opts.auth?.username ?? ''} not answered within ${s} s`,
              send: `connected to ${target}; sending to ${opts.to} not answered within ${s} s`,
            }[step];
      finish({ ok: false, error });
    };
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    conn.on('error', fail);
    conn.connect((err) => {
      if (err) return fail(err);
      const send = (): void => {
        step = 'send';
        conn.send({ from: opts.from, to: [opts.to] }, opts.message, (sendErr, info) => {
          if (sendErr) return fail(sendErr);
          if (info.rejected.length > 0) {
            const reason = info.rejectedErrors?.[0]?.response;
            return finish({ ok: false, error: `connected to ${target}; recipient ${opts.to} rejected${reason ? `: ${reason}` : ''}` });
          }
          finish({ ok: true, response: info.response ?? '' });
        });
      };
      if (!opts.auth) return send();
      step = 'auth';
      conn.login({ user: opts.auth.username, pass: opts.auth.password }, (loginErr) => {
        if (!loginErr) return send();
        // a server whose EHLO lists no AUTH answers "503 Invalid command", which would
        // read as a wrong password; say what is missing instead
        if (!offersAuth(conn)) return finish({ ok: false, error: noAuthMessage(loginErr, opts) });
        fail(loginErr);
      });
    });
  });
}

/** Whether the server's EHLO listed AUTH (nodemailer keeps it in an undeclared field). */
function offersAuth(conn: SMTPConnection): boolean {
  return (conn as unknown as { allowsAuth?: boolean }).allowsAuth !== false;
}

function noAuthMessage(err: SmtpError, opts: SmtpProbeOptions): string {
  const reply = err.response ? ` (it answered ${oneLine(err.response)})` : '';
  return `connected to ${opts.target}; the server offers no AUTH, so login as ${opts.auth?.username ?? ''} cannot be tried${reply}; params.auth: false sends without logging in`;
}

function describeError(err: SmtpError, step: Step, opts: SmtpProbeOptions, connected: boolean): string {
  const { target } = opts;
  const reply = err.response ? `: ${oneLine(err.response)}` : '';
  if (!connected) {
    const errno = /\b(E[A-Z]+)\b/.exec(err.message)?.[1];
    return describeConnectError({ ...err, code: errno ?? err.code, message: err.message }, target);
  }
  const command = (err.command ?? '').toUpperCase();
  if (step === 'auth') {
    return err.responseCode ? `connected to ${target}; login as ${opts.auth?.username ?? ''} rejected${reply}` : `connected to ${target}; cannot log in as ${opts.auth?.username ?? ''}: ${err.message}`;
  }
  if (command.startsWith('RCPT')) return `connected to ${target}; recipient ${opts.to} rejected${reply}`;
  if (command.startsWith('MAIL')) return `connected to ${target}; sender ${opts.from} rejected${reply}`;
  if (command.startsWith('DATA') || command === 'MESSAGE') return `connected to ${target}; message to ${opts.to} rejected after DATA${reply}`;
  if (command.startsWith('STARTTLS')) return `connected to ${target}; STARTTLS failed${reply || `: ${err.message}`}`;
  if (command.startsWith('EHLO') || command.startsWith('HELO')) return `connected to ${target}; EHLO rejected${reply}`;
  if (command === 'CONN' && step === 'greeting') return `connected to ${target}; ${err.response ? `the greeting was a refusal${reply}` : `no usable SMTP greeting (${err.message})`}`;
  return `connected to ${target}; SMTP ${step} failed: ${err.response ? oneLine(err.response) : err.message}`;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
