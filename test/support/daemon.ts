/**
 * Starts real server processes for protocol tests: spawn, wait until the port accepts
 * connections, and stop them (and everything they started) afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test server. */
export interface Daemon {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Options of `startDaemon`. */
export interface DaemonOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** TCP port to wait for on 127.0.0.1. */
  readonly port: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Default 15,000 ms. */
  readonly readyTimeoutMs?: number;
  /** Skip the TCP wait (UDP servers); wait for this text in the output instead. */
  readonly readyText?: string;
}

/** Starts a server in its own process group and waits until it listens. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  let out = '';
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills its children too, and never us
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (exited) throw new Error(`${opts.name} exited before listening:\n${out}`);
    if (opts.readyText ? out.includes(opts.readyText) : await canConnect(opts.port)) break;
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`${opts.name} did not listen on ${opts.port} in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name: opts.name,
    port: opts.port,
    process: child,
    output: () => out,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh temporary directory; remove it with `removeDir`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sk-${prefix}-`));
}

/** Removes a directory tree, ignoring errors. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
