/**
 * The web server's socket side, kept free of the engine so `serve` can bind its port (or
 * refuse to) in milliseconds: HTTP or HTTPS, its timeouts, and the rule that plain HTTP
 * stays on loopback.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { ScorekeeperError } from '../errors.js';
import { isLoopbackHost } from './host-allowlist.js';
import { DEFAULT_WEB_LIMITS, type WebLimits } from './web-limits.js';

/** What decides the socket: a certificate, and the timeouts. */
export interface ServerSocketOptions {
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Allow plain HTTP on a non-loopback address. */
  readonly insecureHttp?: boolean;
  readonly limits?: Partial<WebLimits>;
}

/**
 * An HTTP (or, with `tls`, HTTPS) server without a request handler. Slow clients
 * (slowloris) are cut off at the header and request timeouts, checked every second.
 */
export function createWebServerSocket(options: ServerSocketOptions): Server {
  const limits = { ...DEFAULT_WEB_LIMITS, ...options.limits };
  const serverOptions = { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 };
  return options.tls ? createTlsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }) : createServer(serverOptions);
}

/**
 * Refuses plain HTTP on an address other than loopback unless `insecureHttp`: tokens and
 * passwords would cross the network in clear.
 */
export function assertSafeBind(host: string, options: ServerSocketOptions): void {
  if (options.tls || options.insecureHttp || isLoopbackHost(host)) return;
  throw new ScorekeeperError(
    'SK_WEB',
    `web server: refusing plain HTTP on ${host}: tokens and passwords would cross the network in clear; give --tls-cert and --tls-key (or web.tlsCert/web.tlsKey), or --insecure-http behind a TLS proxy`,
  );
}
