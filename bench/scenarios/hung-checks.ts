/**
 * Scenario 3: hung checks. A share of the checks never answer and are cut off at their
 * deadline; the scan must end shortly after that deadline.
 */
import { createEngine } from '../../src/engine.js';
import { benchRegistry } from '../lib/noop-registry.js';
import { openBenchStore, type StoreKind } from '../lib/stores.js';

/** Parameters of a hung-checks run. */
export interface HungParams {
  readonly checks: number;
  /** Share of checks that never answer, 0..1. */
  readonly hungShare: number;
  readonly timeoutMs: number;
  readonly store: StoreKind;
  readonly concurrency?: number;
}

/** What a hung-checks run measured. */
export interface HungResult {
  readonly wallMs: number;
  readonly timedOut: number;
  readonly checks: number;
}

/** Runs one scan with hung checks. */
export async function runHungChecks(params: HungParams): Promise<HungResult> {
  const registry = await benchRegistry();
  const { store, dispose } = await openBenchStore(params.store);
  try {
    const perTeam = 20;
    const teams = Math.ceil(params.checks / perTeam);
    const hungPerTeam = Math.round(perTeam * params.hungShare);
    const engine = createEngine({ registry, store, concurrency: params.concurrency ?? 256 });
    await engine.ready();
    const t0 = performance.now();
    const summary = await engine.scan({
      name: 'bench-hung',
      teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1 })),
      services: Array.from({ length: perTeam }, (_, i) => ({ name: `s${i}`, type: i < hungPerTeam ? 'never' : 'noop', host: '127.0.0.1', timeoutMs: params.timeoutMs })),
    }).summary;
    return { wallMs: performance.now() - t0, timedOut: summary.timedOut, checks: summary.checks };
  } finally {
    await dispose();
  }
}
