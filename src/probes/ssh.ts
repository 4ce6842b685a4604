/**
 * SSH probe: TCP connect, SSH identification banner, key exchange, login (password or
 * private key) and, optionally, one command whose output is returned. Every step has its
 * own failure sentence; the probe owns one socket and releases it on success, failure,
 * its deadline or an abort of the check.
 */
import { connect, type Socket } from 'node:net';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { describeConnectError } from './tcp-session.js';
import type { ProbeDeadline } from './tcp-deadline.js';

/** What to probe and how long it may take. */
export interface SshProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.20:22`, used in messages. */
  readonly target: string;
  readonly username: string;
  readonly password?: string;
  /** PEM/OpenSSH private key; tried before the password. */
  readonly privateKey?: string;
  readonly passphrase?: string;
  /** Command to run after login. */
  readonly command?: string;
  /** The probe's time limit; the step running when it fires is named in the error. */
  readonly deadline: ProbeDeadline;
  /** Output kept from the command (stdout then stderr). Default 1 MiB. */
  readonly maxOutputBytes?: number;
}

/** Outcome of an SSH probe. */
export type SshProbeResult =
  | { readonly ok: true; readonly banner: string; readonly output: Buffer | undefined }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

type Step = 'connect' | 'banner' | 'handshake' | 'login' | 'command';

/** Runs the probe; never rejects. */
export function probeSsh(opts: SshProbeOptions): Promise<SshProbeResult> {
  return new Promise((resolve) => {
    const { deadline } = opts;
    const cmd = opts.command === undefined ? '' : clipCommand(opts.command);
    let step: Step = 'connect';
    let banner = '';
    let settled = false;
    const client = new Client();
    const sock: Socket = connect({ host: opts.host, port: opts.port });

    const finish = (result: SshProbeResult): void => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => undefined); // late errors after the end are expected
      client.end();
      sock.destroy();
      resolve(result);
    };
    const onAbort = (): void => {
      if (!deadline.timedOut()) return finish({ ok: false, error: 'aborted', aborted: true });
      const seconds = deadline.seconds();
      const error = {
        connect: `no answer from ${opts.target} within ${seconds} s`,
        banner: `no SSH banner from ${opts.target} within ${seconds} s`,
        handshake: `${opts.target} sent '${banner}' but the key exchange did not finish within ${seconds} s`,
        login: `connected to ${opts.target}; login as ${opts.username} not answered within ${seconds} s`,
        command: `logged in to ${opts.target} as ${opts.username}; command '${cmd}' did not finish within ${seconds} s`,
      }[step];
      finish({ ok: false, error });
    };

    sock.once('connect', () => {
      if (step === 'connect') step = 'banner';
    });
    sock.once('data', (chunk: Buffer) => {
      banner = chunk.toString('latin1').split(/\r?\n/).find((l) => l.startsWith('SSH-')) ?? '';
      if (step === 'banner') step = 'handshake';
    });
    client.once('handshake', () => (step = 'login'));
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      finish({ ok: false, error: describeError(err, step, opts) });
    });
    client.on('close', () => {
      finish({ ok: false, error: closedMessage(step, opts, cmd) });
    });
    client.once('ready', () => {
      if (opts.command === undefined) return finish({ ok: true, banner, output: undefined });
      step = 'command';
      client.exec(opts.command, (err, channel) => {
        if (err) return finish({ ok: false, error: `logged in to ${opts.target} as ${opts.username}; command '${cmd}' could not start: ${err.message}` });
        collect(channel, opts.maxOutputBytes ?? 1024 * 1024, (code, signal, output) => {
          if (code === 0) return finish({ ok: true, banner, output });
          const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited ${code}`;
          finish({ ok: false, error: `logged in to ${opts.target} as ${opts.username}; command '${cmd}' ${how}` });
        });
      });
    });

    const config: ConnectConfig = {
      sock,
      username: opts.username,
      readyTimeout: 0, // our own timer names the step instead
      hostVerifier: () => true, // team machines are rebuilt: host keys change by design
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      ...(opts.privateKey !== undefined ? { privateKey: opts.privateKey } : {}),
      ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
    };
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    try {
      client.connect(config);
    } catch (err) {
      // e.g. an unparsable private key
      finish({ ok: false, error: `cannot log in to ${opts.target}: ${(err as Error).message}` });
    }
  });
}

function collect(channel: ClientChannel, max: number, done: (code: number | null, signal: string | undefined, output: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let code: number | null = null;
  let signal: string | undefined;
  const keep = (d: Buffer): void => {
    if (size >= max) return;
    chunks.push(d.subarray(0, max - size));
    size += Math.min(d.length, max - size);
  };
  channel.on('data', keep);
  channel.stderr.on('data', keep);
  channel.on('exit', (c: number | null, s?: string) => {
    code = c;
    signal = s;
  });
  channel.on('close', () => done(code, signal, Buffer.concat(chunks)));
}

function describeError(err: Error & { level?: string; code?: string }, step: Step, opts: SshProbeOptions): string {
  if (err.level === 'client-authentication') return `connected to ${opts.target}; login as ${opts.username} rejected`;
  if (step === 'connect') return describeConnectError(err, opts.target);
  if (err.code === 'ECONNRESET') return `${opts.target} reset the connection ${step === 'banner' ? 'before its SSH banner' : `during ${step}`}`;
  if (step === 'banner' || step === 'handshake') return `${opts.target} is not a usable SSH server: ${err.message}`;
  return `${opts.target}: SSH ${step} failed: ${err.message}`;
}

function closedMessage(step: Step, opts: SshProbeOptions, cmd: string): string {
  switch (step) {
    case 'connect':
    case 'banner':
      return `${opts.target} closed the connection before its SSH banner`;
    case 'handshake':
      return `${opts.target} closed the connection during the key exchange`;
    case 'login':
      return `connected to ${opts.target}; connection closed during login as ${opts.username}`;
    case 'command':
      return `logged in to ${opts.target} as ${opts.username}; connection closed while command '${cmd}' ran`;
  }
}

function clipCommand(command: string): string {
  return command.length > 60 ? `${command.slice(0, 57)}...` : command;
}
