/**
 * Whether a round can fit its interval in the worst case: every service hangs until its
 * deadline. Known before the round starts, from the plan alone (the checks' timeouts,
 * the concurrency, the interval), so `run` and `serve` can say so before a round
 * overruns rather than after (docs/configuration.md, "Concurrency and overload").
 */
import { worstCaseMs, type RoundPlan } from './round-plan.js';

/** What the worst case is computed from: a round's plan (planRound), or just these figures of it. */
export type FitInput = Pick<RoundPlan, 'checks' | 'timeoutMsPerRound' | 'maxTimeoutMs' | 'concurrency' | 'intervalMs'>;

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

/** The worst case of `plan` (worstCaseMs) and what would make it fit. */
export function roundFit(plan: FitInput): RoundFit {
  const { checks, timeoutMsPerRound: total, maxTimeoutMs: longest } = plan;
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

/** One line for the log, the terminal and the inspector when a round may not fit; undefined when it fits. */
export function roundFitWarning(fit: RoundFit, plan: FitInput): string | undefined {
  if (fit.fits) return undefined;
  const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const change =
    fit.longestTimeoutMs > plan.intervalMs
      ? `lower the longest timeout (${s(fit.longestTimeoutMs)}) below the interval`
      : `raise scan.concurrency to at least ${fit.concurrencyNeeded}, lower the timeouts, or lengthen scan.interval`;
  return `a round may not fit its ${s(plan.intervalMs)} interval: if every service hangs, ${fit.checks} checks at concurrency ${plan.concurrency} take ${s(fit.worstCaseMs)}; at most ${fit.fittingChecks} checks fit. To fit, ${change}`;
}

