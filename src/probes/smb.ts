/**
 * SMB probe through the `smbclient` binary (pure-JS SMB2 clients are NTLMv1-only or need
 * OpenSSL's legacy provider). The credentials go to smbclient in an authentication file
 * (`-A`, mode 0600 in a private temporary directory, removed afterwards), never in argv
 * or the environment. The child is killed at the deadline and on an abort, and the probe
 * resolves only after it has exited.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeDeadline } from './tcp-deadline.js';

/** What to probe. */
export interface SmbProbeOptions {
  readonly host: string;
  readonly port: number;
  /** `10.7.1.40:445`, used in messages. */
  readonly target: string;
  readonly share: string;
  readonly username: string;
  readonly password: string;
  /** Workgroup or domain of the account. */
  readonly domain?: string;
  /** `get` one file to stdout, or `ls` a directory. */
  readonly action: { readonly kind: 'get'; readonly file: string } | { readonly kind: 'ls'; readonly dir: string };
  /** Most output kept. Default 8 MiB. */
  readonly maxBytes?: number;
  readonly deadline: ProbeDeadline;
  /** The smbclient binary. Default `smbclient` from PATH. */
  readonly binary?: string;
}

/** Outcome of an SMB probe: the file's bytes, or the listing's names. */
export type SmbProbeResult =
  | { readonly ok: true; readonly content: Buffer; readonly names: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly aborted?: boolean };

/** Runs the probe; never rejects. */
export async function probeSmb(opts: SmbProbeOptions): Promise<SmbProbeResult> {
  const { deadline } = opts;
  if (deadline.signal.aborted) return abortResult(opts);
  if (/[\r\n]/.test(opts.username + opts.password + (opts.domain ?? ''))) {
    return { ok: false, error: `cannot log in to ${opts.target} as ${opts.username}: the credentials contain a line break, which smbclient's authentication file cannot carry` };
  }
  const dir = await mkdtemp(join(tmpdir(), 'sk-smb-'));
  try {
    const authFile = join(dir, 'auth');
    const lines = [`username = ${opts.username}`, `password = ${opts.password}`, ...(opts.domain ? [`domain = ${opts.domain}`] : [])];
    await writeFile(authFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    const command = opts.action.kind === 'get' ? `get "${opts.action.file}" -` : `ls "${joinDir(opts.action.dir)}"`;
    const run = await runSmbclient(opts, [`//${opts.host}/${opts.share}`, '-p', String(opts.port), '-A', authFile, '-s', '/dev/null', '-c', command]);
    if (run.kind === 'aborted') return abortResult(opts);
    if (run.kind === 'spawn-error') {
      return { ok: false, error: run.code === 'ENOENT' ? `cannot check ${opts.target}: smbclient is not installed on the scoring host` : `cannot run smbclient: ${run.message}` };
    }
    if (run.kind === 'too-big') return { ok: false, error: `${loggedIn(opts)}; '${actionName(opts)}' is larger than ${Math.round((opts.maxBytes ?? 8 << 20) / 1048576)} MiB` };
    if (run.code !== 0) return { ok: false, error: describeFailure(run.stdout.toString('utf8') + run.stderr.toString('utf8'), opts) };
    return { ok: true, content: run.stdout, names: opts.action.kind === 'ls' ? parseListing(run.stdout.toString('utf8')) : [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Run =
  | { kind: 'exited'; code: number | null; stdout: Buffer; stderr: Buffer }
  | { kind: 'aborted' }
  | { kind: 'too-big' }
  | { kind: 'spawn-error'; code: string | undefined; message: string };

function runSmbclient(opts: SmbProbeOptions, args: string[]): Promise<Run> {
  const max = opts.maxBytes ?? 8 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn(opts.binary ?? 'smbclient', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let outcome: Run | undefined;
    const stop = (why: Run): void => {
      outcome ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => stop({ kind: 'aborted' });
    opts.deadline.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > max) return stop({ kind: 'too-big' });
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(d);
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      outcome ??= { kind: 'spawn-error', code: e.code, message: e.message };
    });
    child.once('close', (code) => {
      opts.deadline.signal.removeEventListener('abort', onAbort);
      resolve(outcome ?? { kind: 'exited', code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

/** Names in an `ls` listing ("  welcome.txt    N    16  Fri Nov 27 19:57:26 2026"). */
export function parseListing(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^ {2}(.+?)\s+[A-Z]*\s+\d+\s+\w{3} \w{3}\s+\d+ \d\d:\d\d:\d\d \d{4}\s*$/.exec(line);
    if (m?.[1] && m[1] !== '.' && m[1] !== '..') names.push(m[1]);
  }
  return names;
}

function describeFailure(output: string, opts: SmbProbeOptions): string {
  const status = /NT_STATUS_[A-Z_]+/.exec(output)?.[0];
  const user = opts.username;
  switch (status) {
    case 'NT_STATUS_CONNECTION_REFUSED':
      return `connection refused by ${opts.target}`;
    case 'NT_STATUS_HOST_UNREACHABLE':
    case 'NT_STATUS_NETWORK_UNREACHABLE':
      return `${opts.target} is unreachable (${status})`;
    case 'NT_STATUS_IO_TIMEOUT':
      return `no answer from ${opts.target} (${status})`;
    case 'NT_STATUS_LOGON_FAILURE':
    case 'NT_STATUS_WRONG_PASSWORD':
    case 'NT_STATUS_NO_SUCH_USER':
    case 'NT_STATUS_ACCOUNT_DISABLED':
    case 'NT_STATUS_ACCOUNT_LOCKED_OUT':
    case 'NT_STATUS_PASSWORD_EXPIRED':
    case 'NT_STATUS_PASSWORD_MUST_CHANGE':
    case 'NT_STATUS_ACCOUNT_RESTRICTION':
      return `connected to ${opts.target}; login as ${user} rejected (${status})`;
    case 'NT_STATUS_BAD_NETWORK_NAME':
      return `${loggedIn(opts)}; share '${opts.share}' does not exist (${status})`;
    case 'NT_STATUS_OBJECT_NAME_NOT_FOUND':
    case 'NT_STATUS_OBJECT_PATH_NOT_FOUND':
    case 'NT_STATUS_NO_SUCH_FILE':
      return `${loggedIn(opts)}; '${actionName(opts)}' not found on share '${opts.share}' (${status})`;
    case 'NT_STATUS_ACCESS_DENIED':
      return /tree connect/i.test(output)
        ? `${loggedIn(opts)}; access to share '${opts.share}' denied (${status})`
        : `${loggedIn(opts)}; access to '${actionName(opts)}' on share '${opts.share}' denied (${status})`;
  }
  const line = output.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'no output';
  return `${opts.target}: smbclient failed for share '${opts.share}': ${line.length > 200 ? `${line.slice(0, 197)}...` : line}`;
}

function abortResult(opts: SmbProbeOptions): SmbProbeResult {
  if (!opts.deadline.timedOut()) return { ok: false, error: 'aborted', aborted: true };
  return { ok: false, error: `no SMB answer from ${opts.target} for share '${opts.share}' within ${opts.deadline.seconds()} s` };
}

function loggedIn(opts: SmbProbeOptions): string {
  return `logged in to ${opts.target} as ${opts.username}`;
}

function actionName(opts: SmbProbeOptions): string {
  return opts.action.kind === 'get' ? opts.action.file : opts.action.dir;
}

function joinDir(dir: string): string {
  const d = dir.replace(/\//g, '\\').replace(/\\+$/, '');
  return d === '' ? '*' : `${d}\\*`;
}
