/**
 * Protocol benchmark, one side in this (fresh) process: N checks of one built-in type
 * against a real daemon started by the parent, (a) through the engine as `scan` runs
 * them (built-in registry, the CLI's logger writing its check lines, the CLI's
 * resilient PostgreSQL store, every result persisted), or (b) as a bare loop of the
 * same client library doing the same steps, with the same concurrency and nothing else.
 *
 * Two rounds per process: the first in a fresh process (cold: nothing compiled yet, as
 * a competition's first round or a one-off `scan`) and the second warm (every later
 * round). CPU is this process's only (process.cpuUsage() around the round: every
 * thread, never the daemon's), from after start-up and imports to the round's end.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliLogger } from '../../src/cli/cli-logger.js';
import { createEngine } from '../../src/engine.js';
import { createResilientStore } from '../../src/recovery/resilient-store.js';
import type { Competition } from '../../src/types.js';
import type { ProtocolBench, ProtocolTarget } from '../lib/protocol-bench.js';
import { openBenchStore } from '../lib/stores.js';
import { timed, type Round } from '../lib/timed-round.js';
import { protocolBench } from '../protocols/index.js';

/** Parameters of one side. */
export interface ProtocolCostParams {
  readonly type: string;
  readonly mode: 'engine' | 'bare';
  readonly checks: number;
  readonly concurrency: number;
  readonly target: ProtocolTarget;
  /** The engine's `checkThreads` (engine mode). Default 0, as `scan.threads`. */
  readonly threads?: number;
}

/** What one side measured. */
export interface ProtocolCostResult {
  readonly type: string;
  readonly mode: 'engine' | 'bare';
  readonly checks: number;
  /** Checks that passed in the first and the second round. */
  readonly firstRoundOk: number;
  readonly ok: number;
  readonly firstRoundMs: number;
  readonly firstRoundCpuMs: number;
  /** The second round (warm). */
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Check deadline on both sides. */
const TIMEOUT_MS = 10_000;

/** The bare side: `checks` bare checks, `concurrency` at a time; how many passed. */
export async function bareRound(bench: ProtocolBench, target: ProtocolTarget, checks: number, concurrency: number): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    for (let i = next++; i < checks; i = next++) {
      if (await bench.bare(target, AbortSignal.timeout(TIMEOUT_MS))) ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks) }, worker));
  return ok;
}

/**
 * Teams of the engine side. A competition's team runs 10 to 20 services; a team actor
 * costs about as much CPU as an ssh login's share of the engine (bench/notes.md,
 * "Protocol benchmark"), so N teams of one service each would measure teams, not checks.
 */
export const PROTOCOL_TEAMS = 10;

/**
 * The competition of the engine side: PROTOCOL_TEAMS teams (fewer for fewer checks) ×
 * checks/teams services, all on the daemon. `checks` must be a multiple of the teams.
 */
export function protocolCompetition(type: string, target: ProtocolTarget, checks: number): Competition {
  const teams = Math.min(PROTOCOL_TEAMS, checks);
  if (checks % teams !== 0) throw new RangeError(`protocol benchmark: ${checks} checks do not divide among ${teams} teams`);
  return {
    name: `bench-${type}`,
    // a team variable `username` = '{username}': an ldap bindDn's {username} survives the per-team templates, for the check to fill
    teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1, ...(target.username !== undefined ? { vars: { username: '{username}' } } : {}) })),
    services: Array.from({ length: checks / teams }, (_, i) => ({
      name: `${type}${i + 1}`,
      type,
      host: target.host,
      port: target.port,
      timeoutMs: TIMEOUT_MS,
      params: target.params,
      ...(target.username !== undefined ? { credentials: { from: 'explicit' as const, username: target.username, password: target.password ?? '' } } : {}),
    })),
  };
}

/** Runs one side: two rounds in this process. */
export async function runProtocolCost(params: ProtocolCostParams): Promise<ProtocolCostResult> {
  const bench = protocolBench(params.type);
  const rounds: Round[] = [];
  const oks: number[] = [];
  if (params.mode === 'bare') {
    for (let i = 0; i < 2; i++) {
      const { round, value } = await timed(() => bareRound(bench, params.target, params.checks, params.concurrency));
      rounds.push(round);
      oks.push(value);
    }
  } else {
    const logFile = join(tmpdir(), `sk-bench-${process.pid}.log`);
    const { store: inner, dispose } = await openBenchStore('postgres');
    try {
      const logger = cliLogger({ logFile });
      const store = createResilientStore(inner, { retryForMs: 30_000, recoveryFile: join(tmpdir(), `sk-bench-${process.pid}-recovery.jsonl`), logger });
      const engine = createEngine({ store, logger, concurrency: params.concurrency, checkThreads: params.threads ?? 0 });
      await engine.ready();
      const competition = protocolCompetition(params.type, params.target, params.checks);
      for (let i = 0; i < 2; i++) {
        const { round, value } = await timed(() => engine.scan(competition).summary);
        rounds.push(round);
        oks.push(value.up);
      }
      await engine.close();
    } finally {
      await dispose();
      rmSync(logFile, { force: true });
    }
  }
  const [first, second] = rounds as [Round, Round];
  return { type: params.type, mode: params.mode, checks: params.checks, firstRoundOk: oks[0]!, ok: oks[1]!, firstRoundMs: first.wallMs, firstRoundCpuMs: first.cpuMs, wallMs: second.wallMs, cpuMs: second.cpuMs };
}
