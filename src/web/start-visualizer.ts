/**
 * Starts what `run --serve/--record`, `serve` and `demo` need around an engine: the
 * inspection hub, the optional recorder and the optional web server. Without an admin
 * token in the competition file, one is generated for this process.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Tokens } from '../config/tokens.js';
import { engineCharts, type Engine } from '../engine.js';
import { InspectionHub } from '../inspection/inspection-hub.js';
import { recordInspection, type Recording } from '../inspection/recorder.js';
import type { ServiceRegistry } from '../registry.js';
import type { Competition } from '../types.js';
import { isLoopbackHost } from './host-allowlist.js';
import { isScannerStore, startWebServer, type WebServer, type WebServerOptions } from './web-server.js';

/** Options of {@link startVisualizer}. */
export interface VisualizerOptions {
  readonly engine: Engine;
  readonly competition: Competition;
  readonly registry: ServiceRegistry;
  readonly tokens: Tokens;
  /** Serve the pages on this port (0: any free port); undefined: no web server. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** A server already listening (bindPort), used instead of host and port; closed by close(). */
  readonly bound?: Server;
  /** Record the sanitized stream to this file (JSON lines). */
  readonly record?: string;
  /** Serve HTTPS with this certificate and key. */
  readonly tls?: WebServerOptions['tls'];
  /** Pages reach browsers over TLS through a proxy: Secure `__Host-` cookie. */
  readonly secureCookie?: boolean;
  /** Allow plain HTTP on a non-loopback address. */
  readonly insecureHttp?: boolean;
  /** Names the pages answer to besides the bound address and localhost. */
  readonly allowedHosts?: readonly string[];
  /** Where the web server logs refusals (once per client and minute). */
  readonly logger?: Logger;
  /** Distributed mode: reads the scanners registry (`GET /api/scanners`, the inspector's scanners panel). */
  readonly scanners?: WebServerOptions['scanners'];
}

/** A running visualizer. */
export interface Visualizer {
  readonly hub: InspectionHub;
  readonly web: WebServer | undefined;
  readonly recording: Recording | undefined;
  /** The admin token made for this process when the file has none. */
  readonly generatedAdminToken: string | undefined;
  /** Lines to print: where to open the pages, what is recorded. */
  describe(): string[];
  close(): Promise<void>;
}

/** A random token of 32 characters. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** See the module comment. */
export async function startVisualizer(options: VisualizerOptions): Promise<Visualizer> {
  const hub = new InspectionHub(options.engine);
  const serving = options.port !== undefined || options.bound !== undefined;
  const generatedAdminToken = serving && !options.tokens.admin ? generateToken() : undefined;
  const tokens: Tokens = generatedAdminToken ? { ...options.tokens, admin: generatedAdminToken } : options.tokens;
  const recording = options.record ? recordInspection(hub.messages$, options.record) : undefined;
  let web: WebServer | undefined;
  try {
    if (serving) {
      web = await startWebServer({
        tokens,
        hub,
        charts: engineCharts(),
        competition: options.competition,
        registry: options.registry,
        ...(isScannerStore(options.engine.store) ? { store: options.engine.store } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(options.bound ? { bound: options.bound } : {}),
        ...(options.tls ? { tls: options.tls } : {}),
        ...(options.insecureHttp ? { insecureHttp: true } : {}),
        ...(options.secureCookie ? { secureCookie: true } : {}),
        ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.scanners ? { scanners: options.scanners } : {}),
      });
    }
  } catch (err) {
    await recording?.close();
    options.bound?.close();
    throw err;
  }
  return {
    hub,
    web,
    recording,
    generatedAdminToken,
    describe() {
      const lines: string[] = [];
      if (web) {
        lines.push(
          generatedAdminToken
            ? `visualizer: ${web.url}/?token=${generatedAdminToken}  (admin token made for this run)`
            : `visualizer: ${web.url}/  (open it once with ?token=<tokens.admin of the competition file>)`,
        );
        const host = options.host ?? '127.0.0.1';
        if (!options.tls && !isLoopbackHost(host)) lines.push(`warning: serving plain HTTP on ${host} (--insecure-http): tokens and passwords cross that network in clear unless a TLS proxy is in front`);
      }
      if (options.record) lines.push(`recording the inspection stream to ${options.record}`);
      return lines;
    },
    async close() {
      await web?.close();
      await recording?.close();
    },
  };
}
