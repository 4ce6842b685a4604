import { describe, expect, test } from 'vitest';
import { roundFit, roundFitWarning } from '../../src/planning/round-fit.js';

const same = (n: number, ms: number) => Array.from({ length: n }, () => ms);

describe('roundFit', () => {
  test('every check at once ends at the longest timeout', () => {
    const fit = roundFit({ timeoutsMs: [...same(9_999, 5_000), 10_000], concurrency: 10_000, intervalMs: 60_000 });
    expect(fit).toMatchObject({ fits: true, worstCaseMs: 10_000, checks: 10_000, longestTimeoutMs: 10_000 });
    expect(roundFitWarning(fit, { timeoutsMs: [], concurrency: 10_000, intervalMs: 60_000 })).toBeUndefined();
  });

  test('a small cap: the round of hung checks is Σ timeouts ÷ concurrency, and says what would fit', () => {
    const plan = { timeoutsMs: same(2_000, 5_000), concurrency: 50, intervalMs: 60_000 };
    const fit = roundFit(plan);
    expect(fit).toMatchObject({ fits: false, worstCaseMs: 200_000, fittingChecks: 600, concurrencyNeeded: 167 });
    expect(roundFitWarning(fit, plan)).toBe(
      'a round may not fit its 60 s interval: if every service hangs, 2000 checks at concurrency 50 take 200 s; at most 600 checks fit. To fit, raise scan.concurrency to at least 167, lower the timeouts, or lengthen scan.interval',
    );
  });

  test('a timeout longer than the interval cannot be fixed by concurrency', () => {
    const plan = { timeoutsMs: [90_000, 1_000], concurrency: 100, intervalMs: 60_000 };
    const fit = roundFit(plan);
    expect(fit).toMatchObject({ fits: false, worstCaseMs: 90_000, fittingChecks: 0 });
    expect(roundFitWarning(fit, plan)).toMatch(/lower the longest timeout \(90 s\) below the interval$/);
  });

  test('no checks fit trivially', () => {
    expect(roundFit({ timeoutsMs: [], concurrency: 1, intervalMs: 1 })).toMatchObject({ fits: true, worstCaseMs: 0, checks: 0 });
  });
});
