import { describe, expect, test } from 'vitest';
import { roundFit, roundFitWarning } from '../../src/planning/round-fit.js';

/** The figures of a round whose checks have deadlines `timeoutsMs`. */
const planOf = (timeoutsMs: readonly number[], concurrency: number, intervalMs: number) => ({
  checks: timeoutsMs.length,
  timeoutMsPerRound: timeoutsMs.reduce((a, b) => a + b, 0),
  maxTimeoutMs: Math.max(0, ...timeoutsMs),
  concurrency,
  intervalMs,
});
const same = (n: number, ms: number) => Array.from({ length: n }, () => ms);

describe('roundFit', () => {
  test('every check at once ends at the longest timeout', () => {
    const fit = roundFit(planOf([...same(9_999, 5_000), 10_000], 10_000, 60_000));
    expect(fit).toMatchObject({ fits: true, worstCaseMs: 10_000, checks: 10_000, longestTimeoutMs: 10_000 });
    expect(roundFitWarning(fit, planOf([], 10_000, 60_000))).toBeUndefined();
  });

  test('a small cap: the round of hung checks is Σ timeouts ÷ concurrency, and says what would fit', () => {
    const plan = planOf(same(2_000, 5_000), 50, 60_000);
    const fit = roundFit(plan);
    expect(fit).toMatchObject({ fits: false, worstCaseMs: 200_000, fittingChecks: 600, concurrencyNeeded: 167 });
    expect(roundFitWarning(fit, plan)).toBe(
      'a round may not fit its 60 s interval: if every service hangs, 2000 checks at concurrency 50 take 200 s; at most 600 checks fit. To fit, raise scan.concurrency to at least 167, lower the timeouts, or lengthen scan.interval',
    );
  });

  test('a timeout longer than the interval cannot be fixed by concurrency', () => {
    const plan = planOf([90_000, 1_000], 100, 60_000);
    const fit = roundFit(plan);
    expect(fit).toMatchObject({ fits: false, worstCaseMs: 90_000, fittingChecks: 0 });
    expect(roundFitWarning(fit, plan)).toMatch(/lower the longest timeout \(90 s\) below the interval$/);
  });

  test('no checks fit trivially', () => {
    expect(roundFit(planOf([], 1, 1))).toMatchObject({ fits: true, worstCaseMs: 0, checks: 0 });
  });
});
