/**
 * Whether a round can fit its interval in the worst case: every service hangs until its
 * deadline. Known before the round starts, from the plan alone (the checks' timeouts,
 * the concurrency, the interval), so `run` and `serve` can say so before a round
 * overruns rather than after (docs/configuration.md, "Concurrency and overload").
 */
import { serviceTimeoutMs } from '../competition.js';
import type { ServiceRegistry } from '../registry.js';
import type { Competition } from '../types.js';

/** What the worst case is computed from. */
export interface RoundPlan {
  /** Deadline of each check of the round, ms (one entry per check actor). */
  readonly timeoutsMs: readonly number[];
  /** Most checks running at once. */
  readonly concurrency: number;
  /** Time between the starts of two rounds, ms. */
  readonly intervalMs: number;
}

/** The worst case of a round and what would make it fit. */
export interface RoundFit {
  /** Whether the worst case ends within the interval. */
  readonly fits: boolean;
  /** The round's length if every check hangs to its deadline, ms (a lower bound of any schedule). */
  readonly worstCaseMs: number;
  readonly checks: number;
  /** Checks that fit in the interval if every one hangs to the round's longest timeout. */
  readonly fittingChecks: number;
  /** The least concurrency with which the worst case fits (when the timeouts allow it at all). */
  readonly concurrencyNeeded: number;
  /** The longest timeout of the round, ms: no concurrency makes a round shorter. */
  readonly longestTimeoutMs: number;
}

/**
 * The worst case of `plan`: with C slots, N checks hanging to their deadlines need at
 * least max(longest timeout, Σ timeouts ÷ C); the engine's scheduler hands each freed
 * slot to the next check at once, so that bound is what a round of hung checks takes.
 */
export function roundFit(plan: RoundPlan): RoundFit {
  const checks = plan.timeoutsMs.length;
  let total = 0;
  let longest = 0;
  for (const t of plan.timeoutsMs) {
    total += t;
    longest = Math.max(longest, t);
  }
  const worstMs = checks === 0 ? 0 : worstCaseMs(total, longest, plan.concurrency);
  const waves = longest === 0 ? Infinity : Math.floor(plan.intervalMs / longest);
  return {
    fits: worstMs <= plan.intervalMs,
    worstCaseMs: worstMs,
    checks,
    fittingChecks: Math.min(checks, waves === Infinity ? checks : waves * plan.concurrency),
    concurrencyNeeded: checks === 0 ? 1 : Math.max(1, Math.ceil(total / plan.intervalMs)),
    longestTimeoutMs: longest,
  };
}

/**
 * A round of hung checks with `concurrency` slots: at least the longest timeout, and at
 * least the sum of the timeouts spread over the slots, ms.
 */
export function worstCaseMs(totalTimeoutMs: number, longestTimeoutMs: number, concurrency: number): number {
  return Math.max(longestTimeoutMs, Math.ceil(totalTimeoutMs / concurrency));
}

/** One line for the log, the terminal and the inspector when a round may not fit; undefined when it fits. */
export function roundFitWarning(fit: RoundFit, plan: RoundPlan): string | undefined {
  if (fit.fits) return undefined;
  const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const change =
    fit.longestTimeoutMs > plan.intervalMs
      ? `lower the longest timeout (${s(fit.longestTimeoutMs)}) below the interval`
      : `raise scan.concurrency to at least ${fit.concurrencyNeeded}, lower the timeouts, or lengthen scan.interval`;
  return `a round may not fit its ${s(plan.intervalMs)} interval: if every service hangs, ${fit.checks} checks at concurrency ${plan.concurrency} take ${s(fit.worstCaseMs)}; at most ${fit.fittingChecks} checks fit. To fit, ${change}`;
}

/**
 * The plan of a competition's round: one deadline per check actor (a mass check is one
 * actor for every team), with the engine's concurrency and the run's interval.
 */
export function roundPlanOf(competition: Competition, registry: ServiceRegistry, concurrency: number, intervalMs: number): RoundPlan {
  const timeoutsMs: number[] = [];
  for (const service of competition.services) {
    const mass = registry.has(service.type) && registry.get(service.type).kind === 'mass';
    if (mass) timeoutsMs.push(Math.max(...competition.teams.map((team) => serviceTimeoutMs(service, team, competition))));
    else for (const team of competition.teams) timeoutsMs.push(serviceTimeoutMs(service, team, competition));
  }
  return { timeoutsMs, concurrency, intervalMs };
}
