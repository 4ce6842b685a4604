/**
 * Scenario 2: engine cost per check. No-op checks, all results persisted; reports wall
 * time, µs per check and the process's peak RSS (run it in a fresh process for RSS).
 */
import { createEngine } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import type { Competition } from '../../src/types.js';
import { benchRegistry } from '../lib/noop-registry.js';
import { openBenchStore, type StoreKind } from '../lib/stores.js';

/** Parameters of one engine-cost run. */
export interface EngineCostParams {
  readonly checks: number;
  readonly servicesPerTeam?: number;
  readonly store: StoreKind;
  readonly concurrency?: number;
  /** Attach the inspection hub, with a client consuming its stream. */
  readonly inspect?: boolean;
  /**
   * Scans run one after another in this process (the hub attached all along); the last
   * one is measured. Default 1. With more, the hub's kept views and resume buffer are
   * full, as in a competition watched all day.
   */
  readonly scans?: number;
}

/** What one run measured. */
export interface EngineCostResult {
  readonly checks: number;
  readonly wallMs: number;
  readonly usPerCheck: number;
  /** CPU time of this process per check (less sensitive to other load than wall time). */
  readonly cpuUsPerCheck: number;
  readonly maxRssMb: number;
  readonly up: number;
}

/** A competition of `checks` no-op checks, `servicesPerTeam` per team. */
export function noopCompetition(checks: number, servicesPerTeam = 100, type = 'noop'): Competition {
  const perTeam = Math.min(servicesPerTeam, checks);
  const teams = Math.ceil(checks / perTeam);
  return {
    name: `bench-${checks}`,
    teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1 })),
    services: Array.from({ length: perTeam }, (_, i) => ({ name: `s${i}`, type, host: '127.0.0.1', timeoutMs: 10_000 })),
  };
}

/** Runs one scan and measures it. */
export async function runEngineCost(params: EngineCostParams): Promise<EngineCostResult> {
  const registry = await benchRegistry();
  const { store, dispose } = await openBenchStore(params.store);
  try {
    const engine = createEngine({ registry, store, concurrency: params.concurrency ?? 256 });
    await engine.ready();
    let messages = 0;
    // A watcher of the hub, as the visualizer's live stream is: it attaches the hub.
    const watcher = params.inspect ? new InspectionHub(engine).messages$.subscribe(() => void messages++) : undefined;
    const competition = noopCompetition(params.checks, params.servicesPerTeam);
    for (let i = 1; i < (params.scans ?? 1); i++) await engine.scan(competition).summary;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const summary = await engine.scan(competition).summary;
    // Let the hub flush what it batched (it does so on setImmediate); both sides wait.
    await new Promise((resolve) => setImmediate(resolve));
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    watcher?.unsubscribe();
    if (params.inspect && messages === 0) throw new Error('the inspection hub sent nothing');
    return {
      checks: summary.checks,
      wallMs,
      usPerCheck: (wallMs * 1000) / summary.checks,
      cpuUsPerCheck: (cpu.user + cpu.system) / summary.checks,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      up: summary.up,
    };
  } finally {
    await dispose();
  }
}
