/**
 * The web server's defences on a hostile network, applied to every request before it
 * reaches a route: the Host allowlist (DNS rebinding), cross-site POSTs (CSRF), rates
 * per address and per token, a lock-out of addresses that keep guessing tokens, caps on
 * inspection streams and on connections per address. Each refusal is an HttpError with
 * its status and is logged once per client and minute.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { HttpError } from './http-helpers.js';
import type { HostAllowlist } from './host-allowlist.js';
import { NoticeOnce } from './notice-once.js';
import { RateLimiter } from './rate-limiter.js';
import type { Principal } from './token-auth.js';
import type { WebLimits } from './web-limits.js';

/** The address a request or socket came from. */
export function clientAddress(socket: Socket | undefined): string {
  return socket?.remoteAddress ?? 'unknown';
}

/** The guards of one server (see above). */
export class RequestGuard {
  private readonly perClient: RateLimiter;
  private readonly perToken: RateLimiter;
  private readonly badTokens: RateLimiter;
  private readonly notices: NoticeOnce;
  private readonly streamsByClient = new Map<string, number>();
  private streams = 0;
  private readonly connectionsByClient = new Map<string, number>();

  constructor(
    private readonly limits: WebLimits,
    private readonly hosts: HostAllowlist,
    logger: Logger | undefined,
  ) {
    this.perClient = new RateLimiter(limits.perClient);
    this.perToken = new RateLimiter(limits.perToken);
    this.badTokens = new RateLimiter(limits.badTokens);
    this.notices = new NoticeOnce(logger);
  }

  /** Closes connections beyond the per-address cap as they open. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => {
      const client = clientAddress(socket);
      const open = (this.connectionsByClient.get(client) ?? 0) + 1;
      if (open > this.limits.connectionsPerClient) {
        this.notices.warn('connections', client, `web: more than ${this.limits.connectionsPerClient} connections from ${client}; closing the new ones`);
        socket.destroy();
        return;
      }
      this.connectionsByClient.set(client, open);
      socket.once('close', () => {
        const left = (this.connectionsByClient.get(client) ?? 1) - 1;
        if (left <= 0) this.connectionsByClient.delete(client);
        else this.connectionsByClient.set(client, left);
      });
    });
  }

  /** Every request: a Host this server answers to, and the address's rate and lock-out. */
  admit(req: IncomingMessage): void {
    const client = clientAddress(req.socket);
    if (!this.hosts.allowsHostHeader(req.headers.host)) {
      this.notices.warn('host', client, `web: refused Host '${String(req.headers.host ?? '')}' from ${client}; allowed: ${this.hosts.list.join(', ')}`);
      throw new HttpError(421, `this server does not answer to Host '${String(req.headers.host ?? '')}'; add it with --allow-host (or web.allowedHosts)`);
    }
    if (!this.perClient.take(client)) {
      this.notices.warn('rate', client, `web: ${client} is over ${this.limits.perClient.perSecond} requests a second`);
      throw new HttpError(429, 'too many requests from this address; slow down', this.perClient.retryAfter(client));
    }
  }

  /** Before authenticating: an address that guessed too many tokens waits. */
  admitAuthAttempt(req: IncomingMessage): void {
    const client = clientAddress(req.socket);
    if (!this.badTokens.allows(client)) throw new HttpError(429, 'too many requests with a wrong token from this address; wait', this.badTokens.retryAfter(client));
  }

  /** A request came with no valid token: it counts against its address. */
  badToken(req: IncomingMessage, presented: boolean): void {
    if (!presented) return;
    const client = clientAddress(req.socket);
    if (!this.badTokens.take(client)) this.notices.warn('bad-token', client, `web: ${client} keeps sending wrong tokens; its requests get 429`);
  }

  /** An authenticated request: the token's own rate. */
  admitPrincipal(req: IncomingMessage, who: Principal): void {
    const key = who.role === 'admin' ? 'admin' : `team ${who.team}`;
    if (!this.perToken.take(key)) {
      this.notices.warn('token-rate', key, `web: the ${key} token is over ${this.limits.perToken.perSecond} requests a second (from ${clientAddress(req.socket)})`);
      throw new HttpError(429, 'too many requests with this token; slow down', this.perToken.retryAfter(key));
    }
  }

  /**
   * A state-changing request from a browser must come from this server's own pages:
   * `Sec-Fetch-Site` other than same-origin (or none, typed by the user), or an `Origin`
   * not on the allowlist, is refused. Clients that send neither (curl, scripts with a
   * Bearer token) are not browsers and carry no ambient cookie risk.
   */
  checkSameOrigin(req: IncomingMessage): void {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const crossSite = typeof site === 'string' && site !== 'same-origin' && site !== 'none';
    const foreignOrigin = typeof origin === 'string' && !this.hosts.allowsOrigin(origin);
    if (crossSite || foreignOrigin) {
      const client = clientAddress(req.socket);
      this.notices.warn('cross-site', client, `web: refused a cross-site ${req.method ?? ''} from ${client} (Origin ${String(origin ?? '-')}, Sec-Fetch-Site ${String(site ?? '-')})`);
      throw new HttpError(403, 'cross-site requests may not change anything here');
    }
  }

  /** Takes an inspection stream slot for the request's address; returns how to give it back. */
  openStream(req: IncomingMessage): () => void {
    const client = clientAddress(req.socket);
    const mine = this.streamsByClient.get(client) ?? 0;
    if (mine >= this.limits.streamsPerClient) {
      this.notices.warn('streams', client, `web: ${client} has ${mine} inspection streams open; refusing more`);
      throw new HttpError(429, `at most ${this.limits.streamsPerClient} inspection streams per address`);
    }
    if (this.streams >= this.limits.streamsTotal) {
      this.notices.warn('streams-total', 'all', `web: ${this.streams} inspection streams open in all; refusing more`);
      throw new HttpError(503, 'the server has as many inspection streams open as it serves; try again later', 5);
    }
    this.streams++;
    this.streamsByClient.set(client, mine + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.streams--;
      const left = (this.streamsByClient.get(client) ?? 1) - 1;
      if (left <= 0) this.streamsByClient.delete(client);
      else this.streamsByClient.set(client, left);
    };
  }
}
