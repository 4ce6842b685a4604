/**
 * The web server's limits on a hostile network, and their defaults. Every cap is
 * answered with its own status (413 body, 429 rate or per-client cap, 503 total cap,
 * a closed connection for slow or surplus connections) and logged once per client and
 * minute (NoticeOnce).
 */
import { MAX_BODY_BYTES } from './http-helpers.js';
import type { RateLimit } from './rate-limiter.js';

/** The limits (see above). */
export interface WebLimits {
  /** Largest request body, bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Open inspection streams (SSE) from one address (429 beyond). */
  readonly streamsPerClient: number;
  /** Open inspection streams in all (503 beyond). */
  readonly streamsTotal: number;
  /** Open connections from one address; more are closed at once. */
  readonly connectionsPerClient: number;
  /** Requests per address (429 beyond). */
  readonly perClient: RateLimit;
  /** Requests per token (429 beyond). */
  readonly perToken: RateLimit;
  /** Requests with a wrong token per address, before every request of it gets 429 (token guessing). */
  readonly badTokens: RateLimit;
  /** Time a client has to send its headers (slowloris), ms. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send its whole request, ms. */
  readonly requestTimeoutMs: number;
}

/** Defaults: generous for a scoreboard that refreshes every few seconds, tight for guessing. */
export const DEFAULT_WEB_LIMITS: WebLimits = {
  maxBodyBytes: MAX_BODY_BYTES,
  streamsPerClient: 8,
  streamsTotal: 200,
  connectionsPerClient: 64,
  perClient: { perSecond: 50, burst: 100 },
  perToken: { perSecond: 20, burst: 60 },
  badTokens: { perSecond: 1 / 6, burst: 10 },
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};
