/**
 * The capacity plan of a competition's round (`scorekeeper plan`): how many checks of
 * each type, the CPU they cost from the measured table (check-cost.ts), how many may
 * run at once for the round to fit its interval, and the check threads that gives.
 * Pure functions of the competition and its scan settings; docs/sizing.md walks
 * through the same arithmetic by hand.
 */
import { serviceTimeoutMs } from '../competition.js';
import type { ScanSettings } from '../config/scan-settings.js';
import { autoConcurrency } from '../scheduling/concurrency-budget.js';
import type { Competition } from '../types.js';
import { CHECK_COSTS, checkCostOf, type CheckCost } from './check-cost.js';

/**
 * The share of an interval a round's CPU may take on the cores it has: the rest is
 * headroom for slow teams, retries, the web pages and a round that starts late.
 */
export const TARGET_CPU_SHARE = 0.5;

/** The most check threads a competition file accepts (`scan.threads`). */
export const MAX_THREADS = 64;

/** One check type's share of a round. */
export interface TypePlan {
  readonly type: string;
  /** Checks of this type per round (teams × services of the type). */
  readonly checks: number;
  readonly cpuMsPerCheck: number;
  /** False: no measurement for this type; the most expensive measured cost is assumed. */
  readonly measured: boolean;
  readonly cpuMsPerRound: number;
  /** Shortest and longest deadline of its checks, ms. */
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
}

/** The plan of one round. */
export interface RoundPlan {
  readonly competition: string;
  readonly teams: number;
  readonly checks: number;
  readonly intervalMs: number;
  /** Configured `scan.concurrency` and `scan.threads`. */
  readonly concurrency: number;
  readonly threads: number;
  /** By type, most CPU first. */
  readonly byType: readonly TypePlan[];
  readonly cpuMsPerRound: number;
  /** Deadlines of every check of a round, summed, and the longest one, ms. */
  readonly timeoutMsPerRound: number;
  readonly maxTimeoutMs: number;
  /** Slot time of every check when services answer as on loopback, summed, ms. */
  readonly latencyMsPerRound: number;
  /** Cores the round's CPU needs if spread over the whole interval. */
  readonly coresNeeded: number;
  /** Checks at once so a round fits its interval when every check hits its deadline. */
  readonly worstCaseConcurrency: number;
  /** Checks at once so a round fits its interval when services answer (typical). */
  readonly typicalConcurrency: number;
  /** `scan.threads` so the round's CPU takes at most TARGET_CPU_SHARE of the interval. */
  readonly suggestedThreads: number;
}

/** Plans a round of `competition` under `settings`, with `costs` (default: the measured table). */
export function planRound(competition: Competition, settings: Pick<ScanSettings, 'intervalMs' | 'timeoutMs' | 'concurrency' | 'threads'>, costs: Readonly<Record<string, CheckCost>> = CHECK_COSTS): RoundPlan {
  const teams = competition.teams.length;
  const byType = new Map<string, { checks: number; cost: CheckCost; measured: boolean; min: number; max: number }>();
  let timeoutMsPerRound = 0;
  let latencyMsPerRound = 0;
  let maxTimeoutMs = 0;
  // Each team's own deadline: a team may override a service's timeout (or fill its template).
  const withDefault = { ...competition, defaultTimeoutMs: competition.defaultTimeoutMs ?? settings.timeoutMs };
  for (const service of competition.services) {
    const { cost, measured } = checkCostOf(service.type, costs);
    const entry = byType.get(service.type) ?? { checks: 0, cost, measured, min: Infinity, max: 0 };
    byType.set(service.type, entry);
    for (const team of competition.teams) {
      const timeoutMs = serviceTimeoutMs(service, team, withDefault);
      entry.checks++;
      entry.min = Math.min(entry.min, timeoutMs);
      entry.max = Math.max(entry.max, timeoutMs);
      timeoutMsPerRound += timeoutMs;
      // a check never holds its slot past its deadline
      latencyMsPerRound += Math.min(cost.latencyMs, timeoutMs);
      maxTimeoutMs = Math.max(maxTimeoutMs, timeoutMs);
    }
  }
  const types: TypePlan[] = [...byType].map(([type, e]) => ({
    type,
    checks: e.checks,
    cpuMsPerCheck: e.cost.cpuMs,
    measured: e.measured,
    cpuMsPerRound: e.checks * e.cost.cpuMs,
    minTimeoutMs: e.min,
    maxTimeoutMs: e.max,
  }));
  types.sort((a, b) => b.cpuMsPerRound - a.cpuMsPerRound || a.type.localeCompare(b.type));
  const cpuMsPerRound = types.reduce((sum, t) => sum + t.cpuMsPerRound, 0);
  const coresNeeded = cpuMsPerRound / settings.intervalMs;
  return {
    competition: competition.name,
    teams,
    checks: types.reduce((sum, t) => sum + t.checks, 0),
    intervalMs: settings.intervalMs,
    concurrency: settings.concurrency === 'auto' ? autoConcurrency() : settings.concurrency,
    threads: settings.threads,
    byType: types,
    cpuMsPerRound,
    timeoutMsPerRound,
    maxTimeoutMs,
    latencyMsPerRound,
    coresNeeded,
    worstCaseConcurrency: Math.ceil(timeoutMsPerRound / settings.intervalMs),
    typicalConcurrency: Math.ceil(latencyMsPerRound / settings.intervalMs),
    suggestedThreads: suggestedThreads(coresNeeded),
  };
}

/**
 * Check threads for a round needing `coresNeeded` cores: the engine's own thread is
 * one core, each check thread another; enough that the CPU takes at most
 * TARGET_CPU_SHARE of the interval. 0 when the engine's thread alone suffices.
 */
export function suggestedThreads(coresNeeded: number): number {
  const cores = Math.ceil(coresNeeded / TARGET_CPU_SHARE);
  return Math.min(MAX_THREADS, Math.max(0, cores - 1));
}

/**
 * A round of hung checks with `concurrency` slots, ms: at least the longest timeout, and
 * at least the sum of the timeouts spread over the slots (the scheduler hands each freed
 * slot to the next check at once, so that bound is what such a round takes).
 */
export function worstCaseMs(totalTimeoutMs: number, longestTimeoutMs: number, concurrency: number): number {
  return Math.max(longestTimeoutMs, Math.ceil(totalTimeoutMs / concurrency));
}

/**
 * How long a round lasts at its configured concurrency when every check hits its
 * deadline, s: the deadlines shared over the slots, and never less than the longest
 * one. A round fits its interval only if this is at most the interval.
 */
export function worstCaseRoundSeconds(plan: Pick<RoundPlan, 'timeoutMsPerRound' | 'maxTimeoutMs' | 'concurrency'>): number {
  return worstCaseMs(plan.timeoutMsPerRound, plan.maxTimeoutMs, plan.concurrency) / 1000;
}

/**
 * How long a round lasts when services answer as on loopback, s: the slot time shared
 * over the slots, or the CPU on the cores of the configured threads, whichever is longer.
 */
export function typicalRoundSeconds(plan: Pick<RoundPlan, 'latencyMsPerRound' | 'cpuMsPerRound' | 'concurrency' | 'threads'>): number {
  return Math.max(plan.latencyMsPerRound / plan.concurrency, plan.cpuMsPerRound / (plan.threads + 1)) / 1000;
}
