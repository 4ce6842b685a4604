/**
 * `TcpSession`: a TCP connection for request/response probes (banner, RDP, VNC). Reads
 * are buffered and awaited with a step name, so every failure reads as a sentence for a
 * blue team: "connection refused by 10.7.1.20:5900", "connected to 10.7.1.20:5900; no
 * RFB version banner within 4.75 s", "connected to 10.7.1.20:5900; the server closed
 * the connection before the security types". The socket is destroyed on close(), on
 * any failure and when the deadline's signal aborts.
 */
import { Socket } from 'node:net';
import type { ProbeDeadline } from './tcp-deadline.js';

interface Waiter {
  readonly what: string;
  /** Returns how many bytes complete the read, or -1 to wait for more. */
  readonly need: (buf: Buffer) => number;
  readonly resolve: (buf: Buffer) => void;
  readonly reject: (err: Error) => void;
}

/** A connected socket with step-named reads under a probe deadline. */
export class TcpSession {
  private buffer = Buffer.alloc(0);
  private waiter: Waiter | undefined;
  private ended = false;
  private failure: Error | undefined;
  private readonly onAbort = () => this.fail(this.abortError(this.waiter?.what));

  private constructor(
    private readonly socket: Socket,
    /** `host:port` for messages. */
    readonly target: string,
    private readonly deadline: ProbeDeadline,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.settle();
    });
    socket.on('end', () => {
      this.ended = true;
      this.settle();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.fail(new Error(`connected to ${target}; connection ${err.code === 'ECONNRESET' ? 'reset by the server' : `failed (${err.code ?? err.message})`}${this.waiter ? ` before ${this.waiter.what}` : ''}`));
    });
    socket.on('close', () => {
      this.ended = true;
      this.settle();
    });
    deadline.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connects to host:port before the deadline, or throws a sentence naming what failed. */
  static open(host: string, port: number, deadline: ProbeDeadline): Promise<TcpSession> {
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    return connectSocket(host, port, target, deadline).then((socket) => new TcpSession(socket, target, deadline));
  }

  /** Bytes received and not yet read. */
  get pending(): Buffer {
    return this.buffer;
  }

  /** Reads exactly `n` bytes; `what` names the step in messages ("the RFB banner"). */
  read(n: number, what: string): Promise<Buffer> {
    return this.readUntil((buf) => (buf.length >= n ? n : -1), what);
  }

  /** Reads until `need(buffered)` returns a byte count (>= 0), then returns those bytes. */
  readUntil(need: (buf: Buffer) => number, what: string): Promise<Buffer> {
    if (this.waiter) return Promise.reject(new Error('TcpSession: concurrent reads'));
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { what, need, resolve, reject };
      this.settle();
    });
  }

  /**
   * Reads whatever arrives until `enough(buffered)` is true, the server closes the
   * connection, or the deadline passes; never fails on those, returns what came.
   */
  async collect(enough: (buf: Buffer) => boolean, what: string): Promise<{ data: Buffer; ended: boolean; timedOut: boolean }> {
    try {
      const data = await this.readUntil((buf) => (enough(buf) ? buf.length : -1), what);
      return { data, ended: false, timedOut: false };
    } catch (err) {
      if (this.deadline.timedOut()) return { data: this.buffer, ended: false, timedOut: true };
      if (this.ended && !this.failure) return { data: this.buffer, ended: true, timedOut: false };
      throw err;
    }
  }

  /** Sends bytes (errors surface in the next read). */
  write(data: Buffer | string): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Destroys the socket and forgets the deadline. Idempotent. */
  close(): void {
    this.deadline.signal.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }

  private abortError(what: string | undefined): Error {
    if (!this.deadline.timedOut()) return toError(this.deadline.signal.reason);
    return new Error(`connected to ${this.target}; no ${what ?? 'answer'} within ${this.deadline.seconds()} s`);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.socket.destroy();
    this.settle();
  }

  private settle(): void {
    const w = this.waiter;
    if (!w) return;
    const n = w.need(this.buffer);
    if (n >= 0) {
      this.waiter = undefined;
      const out = this.buffer.subarray(0, n);
      this.buffer = this.buffer.subarray(n);
      w.resolve(out);
    } else if (this.failure) {
      this.waiter = undefined;
      w.reject(this.failure);
    } else if (this.ended) {
      this.waiter = undefined;
      w.reject(new Error(`connected to ${this.target}; the server closed the connection before ${w.what}`));
    }
  }
}

function connectSocket(host: string, port: number, target: string, deadline: ProbeDeadline): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = new Socket();
    const done = (err?: Error) => {
      deadline.signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onAbort = () =>
      done(deadline.timedOut() ? new Error(`no answer from ${target} within ${deadline.seconds()} s (TCP connect)`) : toError(deadline.signal.reason));
    const onError = (err: NodeJS.ErrnoException) => done(new Error(describeConnectError(err, target)));
    const onConnect = () => done();
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', onConnect);
    socket.connect({ host, port });
  });
}

/** A one-line description of a failed TCP connect: "connection refused by 10.7.1.20:22". */
export function describeConnectError(err: NodeJS.ErrnoException, target: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${target}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target} is unreachable (${err.code})`;
    case 'ETIMEDOUT':
      return `no answer from ${target} (TCP connect timed out)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${target}`;
    case 'ECONNRESET':
      return `connection to ${target} reset by the server`;
    default:
      return `cannot connect to ${target}: ${err.code ?? err.message}`;
  }
}

/** The abort reason as an Error. */
export function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
