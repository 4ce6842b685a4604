/**
 * HTTP(S) probe on undici 7: one Agent per check (TLS verification off unless asked:
 * team certificates are self-signed), a cookie jar for form logins, bodies read only as
 * far as needed, and every failure turned into a sentence naming the path. `close()`
 * destroys the agent, so no socket outlives the check.
 */
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { errorMessage } from '../errors.js';
import { BodyClosedEarlyError, readBody, type ReadBody } from './read-body.js';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError, toError } from './tcp-session.js';

/**
 * The reason a finished check's agent is destroyed with. Without one, undici makes a
 * ClientDestroyedError per agent, and node reads its stack when it destroys the socket:
 * a stack captured and formatted per check, on the check thread (docs/benchmarks.md,
 * "Measurements behind source comments"). Nothing is pending when `close()` runs, so
 * no caller sees it.
 */
const CHECK_ENDED = new Error('the check ended; its HTTP agent is closed');

/**
 * How much sooner than the server's advertised keep-alive (`Keep-Alive: timeout=N`) the
 * probe stops reusing a connection. undici's default, 2 s, makes it reset the socket
 * after every answer from a server that keeps connections 1 or 2 s, with a new error
 * object whose stack node formats, on the check thread (docs/benchmarks.md,
 * "Measurements behind source comments"), and a new connection for each request of a
 * form login. A check's requests follow each other within milliseconds and its agent
 * is destroyed when it ends, so half a second is margin enough.
 */
const KEEP_ALIVE_THRESHOLD_MS = 500;

/** One request. */
export interface HttpRequest {
  readonly method: string;
  /** Path with query, starting with "/", or an absolute URL (redirects). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Body bytes to keep; the rest is not read. 0 reads nothing. */
  readonly readLimit: number;
}

/** One answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body up to `readLimit` bytes (plus at most the rest of the last chunk). */
  readonly body: Buffer;
  /** The body had more than `readLimit` bytes. */
  readonly truncated: boolean;
  /** Where the request went, for messages ("/index.html"). */
  readonly path: string;
}

/** An HTTP(S) client for one check: base URL, agent and cookie jar. */
export class HttpProbe {
  private readonly agent: Agent;
  private readonly cookies = new Map<string, string>();
  /** `host:port` for messages. */
  readonly target: string;
  private readonly base: URL;

  constructor(
    host: string,
    port: number,
    readonly tls: boolean,
    verifyTls: boolean,
    private readonly deadline: ProbeDeadline,
    /** Virtual host: also the TLS server name (SNI, and the name a verified certificate must carry). */
    hostHeader?: string,
  ) {
    this.target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.base = new URL(`${tls ? 'https' : 'http'}://${this.target}/`);
    this.agent = new Agent({
      connect: {
        rejectUnauthorized: verifyTls,
        // undici's connect timer ticks coarsely and fires up to half a second early or
        // late; the probe's own limit (below) ends a pending connect on time instead.
        timeout: deadline.ms + 1000,
        ...(hostHeader && isIP(hostHeader.replace(/:\d+$/, '')) === 0 ? { servername: hostHeader.replace(/:\d+$/, '') } : {}),
      },
      connections: 1,
      keepAliveTimeoutThreshold: KEEP_ALIVE_THRESHOLD_MS,
      // Default pipelining (keep-alive), not 0: with 0, undici asks for `connection:
      // close` and destroys every socket with an error of its own after the answer.
    });
    // undici does not end a request whose connection is still being made when its signal
    // aborts (nodejs/undici#386), and its connect timeout runs on a coarse timer that fires
    // late under load: against a host that drops SYNs the check would end at the engine's
    // deadline with a generic message. At the probe's limit the agent is destroyed, which
    // ends a pending connect at once.
    deadline.signal.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** Sends a request and reads up to `readLimit` bytes of the answer; throws a sentence on failure. */
  async fetch(req: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(req.path, this.base);
    const path = url.origin === this.base.origin ? `${url.pathname}${url.search}` : url.href;
    const headers: Record<string, string> = { 'user-agent': 'scorekeeper', ...req.headers };
    if (this.cookies.size > 0 && url.origin === this.base.origin) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        dispatcher: this.agent,
        method: req.method as 'GET',
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: this.deadline.signal,
      });
    } catch (err) {
      throw this.describe(err, `no HTTP answer for ${path}`);
    }
    this.keepCookies(res.headers['set-cookie']);
    let read: ReadBody = { chunks: [], truncated: false };
    try {
      if (req.readLimit > 0 && req.method !== 'HEAD') read = await readBody(res.body, req.readLimit);
    } catch (err) {
      const missing = `HTTP ${res.statusCode} from ${path}, but the body did not arrive`;
      if (this.deadline.signal.aborted) throw this.describe(err, missing);
      throw new Error(`${missing}: ${this.bodyFailure(err)}`);
    } finally {
      // unread rest: drop it with the connection (the agent is per check anyway)
      res.body.on('error', () => undefined);
      res.body.destroy();
    }
    const body = read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks);
    return { status: res.statusCode, headers: res.headers, body, truncated: read.truncated, path };
  }

  /** Destroys the agent and its sockets. */
  async close(): Promise<void> {
    await this.agent.destroy(CHECK_ENDED).catch(() => undefined);
  }

  private keepCookies(setCookie: string | string[] | undefined): void {
    for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  /** Why a body stopped arriving after the status line: the connection, or what undici said. */
  private bodyFailure(err: unknown): string {
    const code = (err as { code?: unknown }).code;
    if (err instanceof BodyClosedEarlyError || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${this.target} closed the connection`;
    return errorMessage(err);
  }

  private describe(err: unknown, timeoutText: string): Error {
    if (this.deadline.signal.aborted) {
      return this.deadline.timedOut() ? new Error(`${timeoutText} within ${this.deadline.seconds()} s`) : toError(this.deadline.signal.reason);
    }
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e.code ?? e.cause?.code;
    switch (code) {
      case 'ECONNREFUSED':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new Error(describeConnectError({ ...e, code }, this.target));
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new Error(`no answer from ${this.target} within ${this.deadline.seconds()} s (TCP connect)`);
      case 'ECONNRESET':
      case 'UND_ERR_SOCKET':
        return new Error(`${this.target} closed the connection without an HTTP answer${this.tls ? '' : ' (is it HTTPS?)'}`);
      case 'EPROTO':
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
        return new Error(`TLS handshake with ${this.target} failed (is it plain HTTP?)`);
      default:
        if (typeof code === 'string' && code.startsWith('HPE_')) {
          return new Error(`${this.target} did not answer with valid HTTP${this.tls ? '' : ' (is it HTTPS?)'}`);
        }
        if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
          return new Error(`TLS certificate of ${this.target} rejected: ${e.message}`);
        }
        return new Error(`HTTP request to ${this.target} failed: ${e.message || String(code)}`);
    }
  }
}
