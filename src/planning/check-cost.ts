/**
 * What one check of each built-in type costs the scanner, measured by the protocol
 * benchmark (`npm run bench -- --protocols`, bench/results/protocols.json) against real
 * daemons on 127.0.0.1. docs/sizing.md explains the table and how to use it; update both
 * together when the benchmark is run again.
 */

/** The cost of one check of a type. */
export interface CheckCost {
  /** CPU of the scanner process per check, ms (warm round, every thread, results persisted). */
  readonly cpuMs: number;
  /**
   * Wall time a check holds its slot, ms: the benchmark's round time × its concurrency
   * ÷ its checks, on loopback. A real network adds its round trips.
   */
  readonly latencyMs: number;
}

/**
 * Measured costs by check type (2 × Intel Xeon, Node 20, 50 checks at a time, the CLI's
 * PostgreSQL store): the "engine" columns of docs/benchmarks.md's protocol table.
 */
export const CHECK_COSTS: Readonly<Record<string, CheckCost>> = {
  ssh: { cpuMs: 2.775, latencyMs: 1546 },
  ftp: { cpuMs: 2.465, latencyMs: 1145 },
  imap: { cpuMs: 3.167, latencyMs: 556 },
  pop3: { cpuMs: 2.044, latencyMs: 409 },
  ldap: { cpuMs: 0.759, latencyMs: 52 },
  mysql: { cpuMs: 1.816, latencyMs: 136 },
  postgresql: { cpuMs: 0.873, latencyMs: 144 },
  redis: { cpuMs: 0.75, latencyMs: 53 },
  dns: { cpuMs: 0.197, latencyMs: 13 },
  http: { cpuMs: 0.596, latencyMs: 35 },
  tcp: { cpuMs: 0.192, latencyMs: 12 },
};

/**
 * The cost assumed for a type the benchmark does not measure (plugins, external, and
 * built-ins without a daemon here): the most expensive measured type, so a plan errs
 * on the side of more capacity.
 */
export const UNMEASURED_CHECK_COST: CheckCost = { cpuMs: Math.max(...Object.values(CHECK_COSTS).map((c) => c.cpuMs)), latencyMs: Math.max(...Object.values(CHECK_COSTS).map((c) => c.latencyMs)) };

/** The cost of `type` and whether it was measured. */
export function checkCostOf(type: string, costs: Readonly<Record<string, CheckCost>> = CHECK_COSTS): { readonly cost: CheckCost; readonly measured: boolean } {
  const cost = Object.hasOwn(costs, type) ? costs[type] : undefined;
  return cost ? { cost, measured: true } : { cost: UNMEASURED_CHECK_COST, measured: false };
}
