/**
 * The visualizer's HTTP server (node:http): static pages without a token, a JSON API and
 * the inspection stream with one. Binds 127.0.0.1 unless told otherwise.
 *
 * Auth: `Authorization: Bearer <token>`, or the `sk_token` cookie. A `?token=` on any
 * GET is swapped for that cookie (HttpOnly, SameSite=Strict) and redirected away, so the
 * token leaves the address bar. The admin token sees everything; a team token only its
 * own team's scanner rows (the inspector, which shows every team, is admin-only).
 *
 *   GET  /api/whoami               role, team, mode (live | replay), competition
 *   GET  /api/inspect/snapshot     admin  current actor views (late joiners)
 *   GET  /api/inspect/stream       admin  SSE: snapshot, then actor/removed (ids), tick
 *   GET  /api/stuck                admin  stuck checks now
 *   GET  /api/recording            admin  replay mode: the recorded messages
 *   GET  /api/scanner              grid of the latest round (a team: its row only)
 *   GET  /api/history?team&service last rounds of one service (a team: its own only)
 *   POST /api/password {team?,key,value}  Team Specific Info password change
 *   POST /api/check-now {team,service}    admin  unscored check of one service
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tokens } from '../config/tokens.js';
import { ScorekeeperError, errorMessage } from '../errors.js';
import type { HubMessage } from '../inspection/hub-messages.js';
import type { InspectionHub } from '../inspection/inspection-hub.js';
import { DEFAULT_STUCK_GRACE_MS, stuckChecks } from '../inspection/stuck-checks.js';
import type { ServiceRegistry } from '../registry.js';
import type { Competition } from '../types.js';
import { HttpError, cookie, readJsonBody, sendJson, setSecurityHeaders, MAX_BODY_BYTES } from './http-helpers.js';
import { streamInspection } from './inspection-stream.js';
import { ScannerApi, type ScannerStore } from './scanner-api.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';
import { TokenAuth, type Principal } from './token-auth.js';

/** Name of the session cookie holding the token. */
export const TOKEN_COOKIE = 'sk_token';

/** Options of the web server. */
export interface WebServerOptions {
  readonly tokens: Tokens;
  /** Live mode: the hub of a running engine. */
  readonly hub?: InspectionHub;
  /** Replay mode: the messages of a recording. */
  readonly recording?: readonly HubMessage[];
  /** Scanner page: the competition, a store with result queries and the registry. */
  readonly competition?: Competition;
  readonly store?: ScannerStore;
  readonly registry?: ServiceRegistry;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** A server already listening (bind-port.ts): used instead of host and port. */
  readonly bound?: Server;
  /** Largest request body, bytes. Default 16 KiB. */
  readonly maxBodyBytes?: number;
}

/** A listening web server. */
export interface WebServer {
  readonly server: Server;
  /** `http://host:port` */
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
  const files = loadStaticFiles();
  const scanner = options.competition && options.store && options.registry ? new ScannerApi(options.competition, options.store, options.registry) : undefined;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  /** Open SSE streams, ended on close() so the hub detaches at once. */
  const streams = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    // Token in the address: swap it for a cookie and drop it from the URL.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && method === 'GET') {
      url.searchParams.delete('token');
      const principal = auth.identify(queryToken);
      // One leading slash only: `//host` would send the browser to another site.
      const location = `/${url.pathname.replace(/^\/+/, '')}${url.search}`;
      if (principal) res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(queryToken)}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: location });
      return void res.end();
    }
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, method, res, files);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) throw new HttpError(413, `request body over ${maxBody} bytes`);

    const who = authenticate(req, auth);
    if (!who) throw new HttpError(401, 'a valid token is required (Authorization: Bearer, or open the page with ?token=)');
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
        });
      case 'GET /api/inspect/snapshot':
        return sendJson(res, 200, requireHub(who, options.hub).snapshot());
      case 'GET /api/inspect/stream': {
        const end = streamInspection(req, res, requireHub(who, options.hub));
        streams.add(end);
        req.on('close', () => streams.delete(end));
        return;
      }
      case 'GET /api/stuck': {
        const hub = requireHub(who, options.hub);
        const snapshot = hub.snapshot();
        return sendJson(res, 200, { now: snapshot.now, graceMs: hub.stuckGraceMs, stuck: stuckChecks(snapshot.actors, snapshot.now, hub.stuckGraceMs) });
      }
      case 'GET /api/recording':
        requireAdmin(who);
        if (!options.recording) throw new HttpError(404, 'no recording: this server is not in replay mode');
        return sendJson(res, 200, { stuckGraceMs: DEFAULT_STUCK_GRACE_MS, messages: options.recording });
      case 'GET /api/scanner':
        return sendJson(res, 200, await requireScanner(scanner).view(who));
      case 'GET /api/history': {
        const team = Number(url.searchParams.get('team'));
        const service = url.searchParams.get('service') ?? '';
        if (!Number.isInteger(team)) throw new HttpError(400, 'history needs ?team=<number>&service=<name>');
        return sendJson(res, 200, await requireScanner(scanner).history(who, team, service));
      }
      case 'POST /api/password':
        return sendJson(res, 200, await requireScanner(scanner).changePassword(who, body));
      case 'POST /api/check-now':
        requireAdmin(who);
        return sendJson(res, 200, await requireScanner(scanner).checkNow(who, body));
      default:
        throw new HttpError(404, `no API route ${route}`);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : `internal error: ${errorMessage(err)}`;
      if (res.headersSent) return void res.destroy();
      // After a refused body, close the connection rather than read the rest.
      if (status === 413) res.setHeader('Connection', 'close');
      sendJson(res, status, { error: message });
    });
  };
  const server = options.bound ?? createServer();
  server.on('request', onRequest);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const host = options.bound ? (server.address() as AddressInfo).address : (options.host ?? '127.0.0.1');
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
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of streams) end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authenticate(req: IncomingMessage, auth: TokenAuth): Principal | undefined {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return auth.identify(bearer ?? cookie(req, TOKEN_COOKIE));
}

function requireAdmin(who: Principal): void {
  if (who.role !== 'admin') throw new HttpError(403, 'this needs the admin token');
}

function requireHub(who: Principal, hub: InspectionHub | undefined): InspectionHub {
  requireAdmin(who);
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
