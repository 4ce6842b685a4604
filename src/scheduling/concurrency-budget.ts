/**
 * The default concurrency: as many checks at once as the scanner's host can hold open,
 * so a round's dead services (each holding its slot until its deadline) do not queue the
 * live ones behind them. Peers that run every check of a round at once (Quotient,
 * DWAYNE-INATOR) end their rounds at the timeout; a small fixed cap stretches a round to
 * checks × dead share × timeout / cap (scoringengine's issue 503).
 *
 * The bound is the host's, measured at start: the process's open-file limit (Node has
 * already raised its soft limit to the hard one) and the ephemeral ports one source
 * address can use at once. docs/configuration.md, "Concurrency", gives the figures.
 */
import { readFileSync } from 'node:fs';

/** File descriptors a check may hold at once (its connection, and a second one: FTP data, a redirect). */
export const FDS_PER_CHECK = 2;
/** File descriptors kept for everything else: database pool, logs, web server, threads. */
export const FD_RESERVE = 512;
/** The least `auto` gives, whatever the limits say. */
export const MIN_AUTO_CONCURRENCY = 16;

/** The host limits the default concurrency is derived from. */
export interface HostLimits {
  /** The process's open-file limit (soft). */
  readonly openFiles: number;
  /** Ports in the kernel's ephemeral range (ip_local_port_range). */
  readonly ephemeralPorts: number;
}

/** Reads this process's limits (Linux /proc; elsewhere, conservative defaults). */
export function hostLimits(): HostLimits {
  return { openFiles: openFileLimit(), ephemeralPorts: ephemeralPortCount() };
}

/**
 * Checks at once for `concurrency: auto`: the open-file limit less a reserve, two
 * descriptors a check; at most half the ephemeral ports (the other half stays free for
 * connections in TIME_WAIT from the round before and for everything else on the host).
 */
export function autoConcurrency(limits: HostLimits = hostLimits()): number {
  const byFiles = Math.floor((limits.openFiles - FD_RESERVE) / FDS_PER_CHECK);
  const byPorts = Math.floor(limits.ephemeralPorts / 2);
  return Math.max(MIN_AUTO_CONCURRENCY, Math.min(byFiles, byPorts));
}

/** The soft open-file limit of this process; 1,024 where it cannot be read. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return 1_048_576;
    const n = Number(soft);
    return Number.isInteger(n) && n > 0 ? n : 1024;
  } catch {
    return 1024;
  }
}

/** Ports in the ephemeral range; Linux's default range (32768–60999) where it cannot be read. */
function ephemeralPortCount(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && high! >= low!) return high! - low! + 1;
  } catch {
    // fall through
  }
  return 60999 - 32768 + 1;
}
