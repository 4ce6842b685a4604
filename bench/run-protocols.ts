/**
 * `npm run bench -- --protocols`: the protocol benchmark. For every built-in check type
 * with a client library, the parent starts its real daemon on 127.0.0.1, then runs the
 * engine side and the bare side (bench/scenarios/protocol-cost.ts) alternately, each in
 * a fresh process, BENCH_RUNS times (default 3), and stops the daemon. A type whose
 * daemon is not installed or does not start is skipped with one line. Writes
 * bench/results/protocols.json; docs/benchmarks.md shows it as its own section.
 * BENCH_PROTOCOLS=ssh,ftp runs only those types.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ProtocolBench } from './lib/protocol-bench.js';
import { alternate, ratioOf, spread, type Sample } from './lib/sides.js';
import { median, round } from './lib/stats.js';
import { PROTOCOL_BENCHES } from './protocols/index.js';

/** Checks running at once on both sides (the issue's measurement, and `scan.concurrency`'s default). */
export const PROTOCOL_CONCURRENCY = 50;

/** One measured type: the table's row. */
export interface ProtocolRow {
  readonly type: string;
  readonly steps: string;
  readonly checks: number;
  /** CPU per check of the warm round, ms: engine, bare, and their ratio (the target: ≤ 1.10). */
  readonly engineCpuMs: number;
  readonly bareCpuMs: number;
  readonly ratio: number;
  /** The same for the first round of a fresh process. */
  readonly coldEngineCpuMs: number;
  readonly coldBareCpuMs: number;
  readonly coldRatio: number;
  /** Wall time of the warm round, ms. */
  readonly engineWallMs: number;
  readonly bareWallMs: number;
  /** Checks that passed in each side's worst round: must be `checks`. */
  readonly engineOk: number;
  readonly bareOk: number;
  /** "run by run …": how far one pair of runs can be trusted. */
  readonly spread: string;
}

/** A type that was not measured, and why. */
export interface ProtocolSkip {
  readonly type: string;
  readonly reason: string;
}

/** bench/results/protocols.json. */
export interface ProtocolReport {
  readonly date: string;
  readonly node: string;
  readonly cpus: string;
  readonly runs: number;
  readonly concurrency: number;
  readonly rows: readonly ProtocolRow[];
  readonly skipped: readonly ProtocolSkip[];
  readonly raw: Record<string, { engine: Sample[]; bare: Sample[] }>;
}

/** The first of `bench.requires` that is not an executable here, or undefined. */
export function missingExecutable(bench: Pick<ProtocolBench, 'requires'>): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const runnable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return bench.requires.find((exe) => (isAbsolute(exe) ? !runnable(exe) : !dirs.some((d) => runnable(join(d, exe)))));
}

/** Measures every type (or those in BENCH_PROTOCOLS); `log` gets one line per type. */
export async function runProtocols(runs: number, log: (line: string) => void, machine: { cpus: string }): Promise<ProtocolReport> {
  const only = process.env.BENCH_PROTOCOLS?.split(',').map((s) => s.trim());
  const rows: ProtocolRow[] = [];
  const skipped: ProtocolSkip[] = [];
  const raw: ProtocolReport['raw'] = {};
  for (const bench of PROTOCOL_BENCHES.filter((b) => !only || only.includes(b.type))) {
    const missing = missingExecutable(bench);
    if (missing) {
      skipped.push({ type: bench.type, reason: `${missing} is not installed (sudo bash scripts/install-test-servers.sh)` });
      log(`protocols: skipped ${bench.type}: ${missing} is not installed`);
      continue;
    }
    let daemon;
    try {
      daemon = await bench.start();
    } catch (err) {
      const reason = `its daemon did not start: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
      skipped.push({ type: bench.type, reason });
      log(`protocols: skipped ${bench.type}: ${reason}`);
      continue;
    }
    try {
      const base = { type: bench.type, checks: bench.checks, concurrency: PROTOCOL_CONCURRENCY, target: daemon.target };
      const [engine, bare] = (await alternate('protocol-cost', [{ ...base, mode: 'engine' }, { ...base, mode: 'bare' }], runs)) as [Sample[], Sample[]];
      raw[bench.type] = { engine, bare };
      const row = rowOf(bench, engine, bare);
      rows.push(row);
      log(`protocols: ${bench.type}: ${row.engineCpuMs} vs ${row.bareCpuMs} ms CPU per check, ratio ${row.ratio} (cold ${row.coldRatio}); ${row.spread}; ok ${row.engineOk}/${row.bareOk} of ${row.checks}`);
    } finally {
      await daemon.stop();
    }
  }
  return { date: new Date().toISOString(), node: process.version, cpus: machine.cpus, runs, concurrency: PROTOCOL_CONCURRENCY, rows, skipped, raw };
}

/** The row of one type from both sides' samples. */
export function rowOf(bench: Pick<ProtocolBench, 'type' | 'steps' | 'checks'>, engine: readonly Sample[], bare: readonly Sample[]): ProtocolRow {
  const perCheck = (ms: number) => round(ms / bench.checks, 3);
  const warm = ratioOf(engine, bare, 'cpuMs');
  const cold = ratioOf(engine, bare, 'firstRoundCpuMs');
  const worstOk = (s: readonly Sample[]) => Math.min(...s.flatMap((x) => [Number(x.ok), Number(x.firstRoundOk)]));
  return {
    type: bench.type,
    steps: bench.steps,
    checks: bench.checks,
    engineCpuMs: perCheck(warm.a),
    bareCpuMs: perCheck(warm.b),
    ratio: round(warm.ratio),
    coldEngineCpuMs: perCheck(cold.a),
    coldBareCpuMs: perCheck(cold.b),
    coldRatio: round(cold.ratio),
    engineWallMs: round(median(engine.map((s) => Number(s.wallMs))), 0),
    bareWallMs: round(median(bare.map((s) => Number(s.wallMs))), 0),
    engineOk: worstOk(engine),
    bareOk: worstOk(bare),
    spread: spread(warm),
  };
}

/**
 * `fresh` over `previous`: the types measured now replace their earlier rows; the others
 * stay, in the benchmark's order. Date, machine and runs are the fresh run's.
 */
export function mergeProtocolReports(previous: ProtocolReport, fresh: ProtocolReport): ProtocolReport {
  const now = new Set([...fresh.rows, ...fresh.skipped].map((r) => r.type));
  const order = (type: string) => PROTOCOL_BENCHES.findIndex((b) => b.type === type);
  const byOrder = <T extends { type: string }>(list: T[]) => list.sort((a, b) => order(a.type) - order(b.type));
  return {
    ...fresh,
    rows: byOrder([...previous.rows.filter((r) => !now.has(r.type)), ...fresh.rows]),
    skipped: byOrder([...previous.skipped.filter((r) => !now.has(r.type)), ...fresh.skipped]),
    raw: { ...Object.fromEntries(Object.entries(previous.raw).filter(([type]) => !now.has(type))), ...fresh.raw },
  };
}
