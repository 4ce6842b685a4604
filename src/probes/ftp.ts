/**
 * FTP probe: connect (plain or explicit TLS), login, optionally download one file and
 * upload-then-delete a small unique file. Failures name the step and carry the server's
 * reply ("logged in to 10.7.1.21:21 as alice; download of 'index.html' failed: 550
 * Failed to open file."). The client (control and data sockets) is closed on every
 * outcome, including the deadline and an abort.
 */
import { Readable, Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError } from './tcp-session.js';

/** What to probe. */
export interface FtpProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.21:21`, used in messages. */
  readonly target: string;
  /** Explicit FTPS (AUTH TLS) before login. */
  readonly secure: boolean;
  readonly username: string;
  readonly password: string;
  /** Remote file to download. */
  readonly file?: string;
  /** Upload this content under this remote path, check its size, then delete it. */
  readonly upload?: { readonly path: string; readonly content: Buffer };
  /** Largest download kept. Default 8 MiB. */
  readonly maxBytes?: number;
  readonly deadline: ProbeDeadline;
}

/** Outcome of an FTP probe: the downloaded file when one was asked for. */
export type FtpProbeResult =
  | { readonly ok: true; readonly content: Buffer | undefined }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

type Step = 'connect' | 'tls' | 'login' | 'download' | 'upload' | 'verify' | 'delete';

/** Runs the probe; never rejects. */
export async function probeFtp(opts: FtpProbeOptions): Promise<FtpProbeResult> {
  const { deadline } = opts;
  if (deadline.signal.aborted) return abortResult(opts, 'connect');
  // the library's own timeouts only back up the probe deadline, which names the step
  const backstop = deadline.ms + 1000;
  const client = new Client(backstop);
  const onAbort = (): void => client.close();
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  let step: Step = 'connect';
  let greeted = false;
  try {
    await client.connect(opts.host, opts.port);
    greeted = true;
    if (opts.secure) {
      step = 'tls';
      await client.useTLS({ rejectUnauthorized: false }); // self-signed team certificates
    }
    step = 'login';
    await client.login(opts.username, opts.password);
    await client.useDefaultSettings();
    let content: Buffer | undefined;
    if (opts.file !== undefined) {
      step = 'download';
      content = await download(client, opts.file, opts.maxBytes ?? 8 * 1024 * 1024);
    }
    if (opts.upload) {
      step = 'upload';
      await client.uploadFrom(Readable.from([opts.upload.content]), opts.upload.path);
      step = 'verify';
      const size = await client.size(opts.upload.path);
      step = 'delete';
      await client.remove(opts.upload.path);
      if (size !== opts.upload.content.length) {
        return { ok: false, error: `${loggedIn(opts)}; uploaded ${opts.upload.content.length} bytes to '${opts.upload.path}' but the server stored ${size}` };
      }
    }
    return { ok: true, content };
  } catch (err) {
    if (deadline.signal.aborted) return abortResult(opts, step === 'connect' && greeted ? 'login' : step);
    return { ok: false, error: describeError(err, step, greeted, opts) };
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    client.close();
  }
}

/** Downloads `path` into memory, failing beyond `max` bytes. */
async function download(client: Client, path: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > max) {
        tooBig = true;
        return cb(new Error(`file is larger than ${max} bytes`));
      }
      chunks.push(chunk);
      cb();
    },
  });
  try {
    await client.downloadTo(sink, path);
  } catch (err) {
    if (tooBig) throw new Error(`'${path}' is larger than ${Math.round(max / 1024 / 1024)} MiB`, { cause: err });
    throw err;
  }
  return Buffer.concat(chunks);
}

function loggedIn(opts: FtpProbeOptions): string {
  return `logged in to ${opts.target} as ${opts.username}`;
}

function abortResult(opts: FtpProbeOptions, step: Step): FtpProbeResult {
  if (!opts.deadline.timedOut()) return { ok: false, error: 'aborted', aborted: true };
  const s = opts.deadline.seconds();
  const error = {
    connect: `no FTP greeting from ${opts.target} within ${s} s`,
    tls: `connected to ${opts.target}; TLS negotiation did not finish within ${s} s`,
    login: `connected to ${opts.target}; login as ${opts.username} not answered within ${s} s`,
    download: `${loggedIn(opts)}; download of '${opts.file ?? ''}' did not finish within ${s} s`,
    upload: `${loggedIn(opts)}; upload of '${opts.upload?.path ?? ''}' did not finish within ${s} s`,
    verify: `${loggedIn(opts)}; SIZE of the uploaded '${opts.upload?.path ?? ''}' not answered within ${s} s`,
    delete: `${loggedIn(opts)}; deleting the uploaded '${opts.upload?.path ?? ''}' did not finish within ${s} s`,
  }[step];
  return { ok: false, error };
}

function describeError(err: unknown, step: Step, greeted: boolean, opts: FtpProbeOptions): string {
  const reply = err instanceof FTPError ? err.message.replace(/\s+/g, ' ').trim() : err instanceof Error ? err.message : String(err);
  switch (step) {
    case 'connect':
      if (!greeted && !(err instanceof FTPError)) return describeConnectError(err as NodeJS.ErrnoException, opts.target);
      return `${opts.target} refused the FTP session: ${reply}`;
    case 'tls':
      return `connected to ${opts.target}; TLS (AUTH TLS) failed: ${reply}`;
    case 'login':
      return err instanceof FTPError && err.code === 530
        ? `connected to ${opts.target}; login as ${opts.username} rejected (${reply})`
        : `connected to ${opts.target}; login as ${opts.username} failed: ${reply}`;
    case 'download':
      return `${loggedIn(opts)}; download of '${opts.file ?? ''}' failed: ${reply}`;
    case 'upload':
      return `${loggedIn(opts)}; upload of '${opts.upload?.path ?? ''}' failed: ${reply}`;
    case 'verify':
      return `${loggedIn(opts)}; SIZE of the uploaded '${opts.upload?.path ?? ''}' failed: ${reply}`;
    case 'delete':
      return `${loggedIn(opts)}; deleting the uploaded '${opts.upload?.path ?? ''}' failed: ${reply}`;
  }
}
