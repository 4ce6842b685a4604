/**
 * TCP probe: connect, optionally send a line, optionally read the first bytes the server
 * sends (a banner) until they satisfy the caller, the server stops sending, or time runs out.
 */
import { MATCH_WINDOW } from './match-window.js';
import type { ProbeDeadline } from './tcp-deadline.js';
import { TcpSession } from './tcp-session.js';

/** What `probeTcp` should do after connecting. */
export interface TcpProbeOptions {
  /** Text sent right after connecting (e.g. "HEAD / HTTP/1.0\r\n\r\n"). */
  readonly send?: string;
  /** Read a banner; `enough` says when what arrived suffices (default: any byte). */
  readonly readBanner?: boolean;
  readonly enough?: (banner: Buffer) => boolean;
}

/** What the probe saw. */
export interface TcpProbeResult {
  /** `host:port` for messages. */
  readonly target: string;
  /** Bytes received (at most 64 KiB), when a banner was read. */
  readonly banner?: Buffer;
  /** Why reading stopped before `enough` was met, if it did. */
  readonly stopped?: 'closed' | 'timeout';
}

/** Connects to host:port and optionally reads a banner; throws a sentence on failure. */
export async function probeTcp(host: string, port: number, deadline: ProbeDeadline, options: TcpProbeOptions = {}): Promise<TcpProbeResult> {
  const session = await TcpSession.open(host, port, deadline);
  try {
    if (options.send !== undefined) session.write(options.send);
    if (!options.readBanner) return { target: session.target };
    const enough = options.enough ?? ((b: Buffer) => b.length > 0);
    const got = await session.collect((b) => b.length >= MATCH_WINDOW || enough(b), 'banner');
    const banner = got.data.subarray(0, MATCH_WINDOW);
    if (got.timedOut) return { target: session.target, banner, stopped: 'timeout' };
    if (got.ended) return { target: session.target, banner, stopped: 'closed' };
    return { target: session.target, banner };
  } finally {
    session.close();
  }
}
