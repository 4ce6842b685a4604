/**
 * The visualizer's HTTP server (node:http, or node:https with a certificate): static
 * pages without a token, a JSON API and the inspection stream with one. Binds 127.0.0.1
 * unless told otherwise, and refuses a non-loopback address without TLS unless told
 * `insecureHttp`. Every request passes the RequestGuard first (Host allowlist, rates,
 * cross-site POSTs, stream and connection caps; see request-guard.ts).
 *
 * Auth: `Authorization: Bearer <token>`, or the `sk_token` cookie (`__Host-sk_token`
 * over TLS). A `?token=` on any GET is redirected away, so the token leaves the address
 * bar, and becomes that cookie only when `decideTokenLink` allows it (not from another
 * site, not over someone else's session; see token-link.ts). The admin token sees
 * everything; a team token only its own team's scanner rows and its own team's actors in
 * the inspector (team-scope.ts filters the stream itself).
 *
 *   GET  /api/whoami               role, team, mode (live | replay), competition
 *   GET  /api/inspect/snapshot     current actor views (late joiners; a team: its own)
 *   GET  /api/inspect/charts       the statecharts of scan, team and check, from their definitions
 *   GET  /api/inspect/stream       SSE: snapshot, then actor/removed (ids), tick (a team: its own)
 *   GET  /api/stuck                stuck checks and the slowest running ones now (a team: its own)
 *   GET  /api/recording            admin  replay mode: the recorded messages
 *   GET  /api/audit                admin  who changed passwords, filed reports, ran check-now
 *   GET  /api/scanner              grid of the latest round (a team: its row only)
 *   GET  /api/history?team&service last rounds of one service (a team: its own only)
 *   GET  /api/scanners             distributed mode: the scanners registry (admin)
 *   GET  /api/rounds               score, uptime and service cells over the last rounds (a team: its own)
 *   POST /api/password {team?,key,value}  Team Specific Info password change
 *   POST /api/check-now {team,service}    admin  unscored check of one service
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Tokens } from '../config/tokens.js';
import { ScorekeeperError, errorMessage } from '../errors.js';
import type { ActorChart } from '../inspection/actor-charts.js';
import type { HubMessage } from '../inspection/hub-messages.js';
import type { InspectionHub } from '../inspection/inspection-hub.js';
import { DEFAULT_STUCK_GRACE_MS, stuckChecks } from '../inspection/stuck-checks.js';
import { slowestChecks } from '../inspection/slowest-checks.js';
import { TeamStreamScope, scopeSnapshot } from '../inspection/team-scope.js';
import type { ServiceRegistry } from '../registry.js';
import type { Competition } from '../types.js';
import { HttpError, cookie, readJsonBody, requestUrl, sendJson, setSecurityHeaders } from './http-helpers.js';
import { HostAllowlist, defaultAllowedHosts } from './host-allowlist.js';
import { streamInspection } from './inspection-stream.js';
import { RequestGuard, clientAddress } from './request-guard.js';
import { roundSeries } from './round-series.js';
import { ScannerApi, type ScannerStore } from './scanner-api.js';
import { assertSafeBind, createWebServerSocket } from './server-socket.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';
import { sessionCookie, tokenCookieName } from './session-cookie.js';
import { TokenAuth, type Principal } from './token-auth.js';
import { decideTokenLink } from './token-link.js';
import { DEFAULT_WEB_LIMITS, type WebLimits } from './web-limits.js';
import type { ScannerInfo } from '../scale-out/scanners-registry.js';

/** Options of the web server. */
export interface WebServerOptions {
  readonly tokens: Tokens;
  /** Live mode: the hub of a running engine. */
  readonly hub?: InspectionHub;
  /** The actors' statecharts the inspector draws (`engineCharts()` of src/engine.ts). */
  readonly charts?: readonly ActorChart[];
  /** Replay mode: the messages of a recording. */
  readonly recording?: readonly HubMessage[];
  /** Scanner page: the competition, a store with result queries and the registry. */
  readonly competition?: Competition;
  readonly store?: ScannerStore;
  readonly registry?: ServiceRegistry;
  /** Distributed mode: reads the scanners registry, for `GET /api/scanners` (admin only: zones name network segments). */
  readonly scanners?: () => Promise<readonly ScannerInfo[]>;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /**
   * A server already listening (bindPort, so a busy port is known before anything
   * slow): used instead of host and port. Made by `createWebServerSocket` with the same
   * `tls` and `limits`.
   */
  readonly bound?: Server;
  /** Largest request body, bytes. Default 16 KiB (also `limits.maxBodyBytes`). */
  readonly maxBodyBytes?: number;
  /** Pages reach the browser over TLS (a TLS proxy in front): Secure `__Host-` cookie. Default: with `tls`. */
  readonly secureCookie?: boolean;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Allow plain HTTP on a non-loopback address (behind a TLS proxy, or a network you trust). */
  readonly insecureHttp?: boolean;
  /** Host names (and addresses) the server answers to besides the defaults (the bound address, localhost). */
  readonly allowedHosts?: readonly string[];
  /** Caps and rates; any not given keeps its default (web-limits.ts). */
  readonly limits?: Partial<WebLimits>;
  /** Where refusals are logged (once per client and minute). */
  readonly logger?: Logger;
}

/** A listening web server. */
export interface WebServer {
  readonly server: Server;
  /** `http://host:port`, or `https://…` with TLS */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Whether `store` has the queries of the scanner page. */
export function isScannerStore(store: unknown): store is ScannerStore {
  const s = store as Partial<ScannerStore> | null;
  return !!s && typeof s.results === 'function' && typeof s.scores === 'function' && typeof s.setTeamInfo === 'function' && typeof s.teamInfo === 'function';
}

/** Starts the server and resolves once it listens. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const auth = new TokenAuth(options.tokens);
  if (!auth.configured) throw new ScorekeeperError('SK_WEB', 'web server: no token configured (set tokens.admin or tokens.teams in the competition file)');
  const host = options.bound ? (options.bound.address() as AddressInfo).address : (options.host ?? '127.0.0.1');
  assertSafeBind(host, options);
  const limits: WebLimits = { ...DEFAULT_WEB_LIMITS, ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}), ...options.limits };
  const hosts = new HostAllowlist([...defaultAllowedHosts(host), ...(options.allowedHosts ?? [])]);
  const guard = new RequestGuard(limits, hosts, options.logger);
  const files = loadStaticFiles();
  const scanner = options.competition && options.store && options.registry ? new ScannerApi(options.competition, options.store, options.registry) : undefined;
  const maxBody = limits.maxBodyBytes;
  const cookieOptions = { secure: options.secureCookie ?? !!options.tls };
  const cookieName = tokenCookieName(cookieOptions);
  /** Open SSE streams, ended on close() so the hub detaches at once. */
  const streams = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    if (options.tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    guard.admit(req);
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    // Token in the address: swap it for a cookie and drop it from the URL.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && method === 'GET') {
      url.searchParams.delete('token');
      const decision = decideTokenLink({
        fetchSite: firstHeader(req.headers['sec-fetch-site']),
        offered: auth.identify(queryToken),
        current: auth.identify(cookie(req, cookieName)),
      });
      if (decision.accept) res.setHeader('Set-Cookie', sessionCookie(queryToken, cookieOptions));
      else url.searchParams.set('token_ignored', decision.reason);
      // One leading slash only: `//host` would send the browser to another site.
      const location = `/${url.pathname.replace(/^\/+/, '')}${url.search}`;
      res.writeHead(303, { Location: location });
      return void res.end();
    }
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, method, res, files);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) throw new HttpError(413, `request body over ${maxBody} bytes`);

    if (method !== 'GET' && method !== 'HEAD') guard.checkSameOrigin(req);
    guard.admitAuthAttempt(req);
    const presented = presentedToken(req, cookieName);
    const who = auth.identify(presented);
    if (!who) {
      guard.badToken(req, presented !== undefined);
      throw new HttpError(401, 'a valid token is required (Authorization: Bearer, or open the page with ?token=)');
    }
    guard.admitPrincipal(req, who);
    const route = `${method} ${url.pathname}`;
    // Bodies are read (and bounded) before anything else looks at them.
    const body = method === 'POST' ? await readJsonBody(req, maxBody) : {};
    switch (route) {
      case 'GET /api/whoami':
        return sendJson(res, 200, {
          ...who,
          mode: options.recording ? 'replay' : 'live',
          competition: options.competition?.name ?? null,
          scanner: !!scanner,
          inspector: !!(options.hub ?? options.recording),
          scanners: !!options.scanners && who.role === 'admin',
        });
      case 'GET /api/inspect/snapshot':
        return sendJson(res, 200, scopedSnapshot(who, requireHub(options.hub)));
      case 'GET /api/inspect/charts':
        // Definitions only, the same for every team: no actor, no secret.
        if (!options.charts) throw new HttpError(404, 'no statecharts on this server');
        return sendJson(res, 200, { charts: options.charts });
      case 'GET /api/inspect/stream': {
        const hub = requireHub(options.hub);
        const release = guard.openStream(req);
        const end = streamInspection(req, res, hub, who.role === 'team' ? new TeamStreamScope(who.team) : undefined);
        const close = () => {
          end();
          release();
        };
        streams.add(close);
        req.on('close', () => {
          streams.delete(close);
          release();
        });
        return;
      }
      case 'GET /api/stuck': {
        const hub = requireHub(options.hub);
        const snapshot = scopedSnapshot(who, hub);
        return sendJson(res, 200, {
          now: snapshot.now, graceMs: hub.stuckGraceMs,
          stuck: stuckChecks(snapshot.actors, snapshot.now, hub.stuckGraceMs),
          slowest: slowestChecks(snapshot.actors, snapshot.now),
        });
      }
      case 'GET /api/scanners':
        requireAdmin(who);
        if (!options.scanners) throw new HttpError(404, 'no scanners: this server does not run checks on scanners (--distributed)');
        return sendJson(res, 200, { now: Date.now(), scanners: await options.scanners() });
      case 'GET /api/audit':
        return sendJson(res, 200, await requireScanner(scanner).auditLog(who));
      case 'GET /api/recording':
        requireAdmin(who);
        if (!options.recording) throw new HttpError(404, 'no recording: this server is not in replay mode');
        return sendJson(res, 200, { stuckGraceMs: DEFAULT_STUCK_GRACE_MS, messages: options.recording });
      case 'GET /api/scanner':
        return sendJson(res, 200, await requireScanner(scanner).view(who));
      case 'GET /api/rounds':
        requireScanner(scanner);
        return sendJson(res, 200, await roundSeries(options.store!, options.competition!, who.role === 'team' ? who.team : undefined));
      case 'GET /api/history': {
        const team = Number(url.searchParams.get('team'));
        const service = url.searchParams.get('service') ?? '';
        if (!Number.isInteger(team)) throw new HttpError(400, 'history needs ?team=<number>&service=<name>');
        return sendJson(res, 200, await requireScanner(scanner).history(who, team, service));
      }
      case 'POST /api/password':
        return sendJson(res, 200, await requireScanner(scanner).changePassword(who, body, clientAddress(req.socket)));
      case 'POST /api/check-now':
        requireAdmin(who);
        return sendJson(res, 200, await requireScanner(scanner).checkNow(who, body, clientAddress(req.socket)));
      default:
        throw new HttpError(404, `no API route ${route}`);
    }
  };

  const respond = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : `internal error: ${errorMessage(err)}`;
      if (res.headersSent) return void res.destroy();
      // A body refused before it was read (no token, too big, no such route) is not
      // drained, as node would to keep the connection: the connection is closed instead.
      if (status === 413 || !req.complete) res.setHeader('Connection', 'close');
      if (err instanceof HttpError && err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
      sendJson(res, status, { error: message });
    });
  };
  const server = options.bound ?? createWebServerSocket(options);
  server.on('request', respond);
  guard.attach(server);
  // A client that waits before sending its body is told to go on only with a valid token.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (auth.identify(presentedToken(req, cookieName))) res.writeContinue();
    respond(req, res);
  });
  if (!options.bound) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of streams) end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The token a request presents: its Bearer header, else its session cookie. */
function presentedToken(req: IncomingMessage, cookieName: string): string | undefined {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return bearer || cookie(req, cookieName) || undefined;
}

/** The hub's snapshot as `who` may see it. */
function scopedSnapshot(who: Principal, hub: InspectionHub) {
  return who.role === 'team' ? scopeSnapshot(hub.snapshot(), who.team) : hub.snapshot();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function requireAdmin(who: Principal): void {
  if (who.role !== 'admin') throw new HttpError(403, 'this needs the admin token');
}

function requireHub(hub: InspectionHub | undefined): InspectionHub {
  if (!hub) throw new HttpError(404, 'no live engine to inspect on this server');
  return hub;
}

function requireScanner(scanner: ScannerApi | undefined): ScannerApi {
  if (!scanner) throw new HttpError(404, 'the scanner page needs a store with result queries (PostgreSQL or embedded) and the competition');
  return scanner;
}

function serveStatic(path: string, method: string, res: ServerResponse, files: ReadonlyMap<string, StaticFile>): void {
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not allowed on ${path}`);
  const file = files.get(path === '/' ? '/index.html' : path);
  if (!file) throw new HttpError(404, `no page ${path}`);
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length });
  res.end(method === 'HEAD' ? undefined : file.body);
}
