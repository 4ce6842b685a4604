/**
 * `npm run bench`: every scenario in fresh child processes, both sides of each comparison
 * in the same run (alternating), medians over BENCH_RUNS runs (default 3). Writes
 * docs/benchmarks.md and bench/results/latest.json.
 *   node dist/bench/run.js [--quick]
 *   node dist/bench/run.js --distributed   (only the scale-out scenario, printed; docs untouched)
 *   node dist/bench/run.js --rounds-fit  (only scenario 7, rounds with dead services; prints)
 *   node dist/bench/run.js --network  (only scenario 6, the emulated network; prints its
 *                                      rows and writes nothing: for development)
 *   node dist/bench/run.js --render   (docs/benchmarks.md again from latest.json,
 *                                      protocols.json and bench/notes.md, without running anything)
 *   node dist/bench/run.js --protocols (only the protocol benchmark, bench/run-protocols.ts:
 *                                      writes bench/results/protocols.json, then renders)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { namespacesUnavailable } from './lib/netns.js';
import { alternate, child, medianOf, ratioOf, spread } from './lib/sides.js';
import { median, round } from './lib/stats.js';
import { renderReport, type BenchReport, type Row } from './report.js';
import { mergeProtocolReports, runProtocols, type ProtocolReport } from './run-protocols.js';
import { startEmulatedNetwork } from './scenarios/emulated-network.js';

const root = join(import.meta.dirname, '..', '..');
const quick = process.argv.includes('--quick');
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));

/**
 * Node flags of the informative "V8 tier-up delayed" sides of scenario 1: V8 optimizes a
 * function only after about twice as much work in it as by default (bench/notes.md,
 * fourth round, says why this is measured and why scorekeeper does not set it).
 */
const DELAYED_TIER_UP = ['--interrupt-budget=300000'] as const;

/** node's own keep-alive timeout for HTTP servers: the informative pair's servers (team-servers.ts). */
const NODE_KEEP_ALIVE_MS = 5000;

/** Two sides of a comparison, alternating a/b so noise hits both alike. */
async function compare(scenario: string, a: object, b: object, key: string) {
  const [sa, sb] = await alternate(scenario, [a, b], runs);
  return ratioOf(sa!, sb!, key);
}

const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * 6. The engine against bare probes on an emulated network: team hosts in network
 * namespaces behind veth links with latency and loss, 20% of services black-holed,
 * every check of the round at once on both sides (concurrency = checks). Skipped with
 * one line where namespaces cannot be made.
 */
async function emulatedNetworkSection(rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const teams = quick ? 20 : 100;
  const services = 20;
  const blackHoled = 4;
  const size = `${teams} × ${services}, ${blackHoled} of ${services} black-holed`;
  const scenario = '6. HTTP checks on an emulated network (namespaces, veth), engine (1 check thread)+PostgreSQL vs bare undici';
  const unavailable = namespacesUnavailable();
  if (unavailable) {
    rows.push({ scenario, size, metric: 'wall-time ratio, second round (warm)', value: null, target: '≤ 1.05', detail: `skipped: ${unavailable}` });
    log(`emulated network: skipped: ${unavailable}`);
    return;
  }
  const network = await startEmulatedNetwork({ teams, services, blackHoled, namespaces: 4 });
  try {
    const base = { layout: network.layout, concurrency: teams * services, timeoutMs: 5000, store: 'postgres' };
    const [engine, bare] = await alternate('emulated-network', [
      { ...base, mode: 'engine', threads: 1 },
      { ...base, mode: 'bare' },
    ], runs);
    const cold = ratioOf(engine!, bare!, 'firstRoundMs');
    const warm = ratioOf(engine!, bare!, 'wallMs');
    const coldCpu = ratioOf(engine!, bare!, 'firstRoundCpuMs');
    const warmCpu = ratioOf(engine!, bare!, 'cpuMs');
    const falseDown = (samples: readonly Record<string, number | string>[]) => samples.map((x) => Number(x.healthyDown)).join('/');
    raw.emulatedNetwork = { link: network.link, blackHole: network.blackHole, namespaces: network.namespaces, firstRoundMs: cold, wallMs: warm, firstRoundCpuMs: coldCpu, cpuMs: warmCpu, engine, bare };
    const how = `link: ${network.link}; black holes: ${network.blackHole}; ${network.namespaces} namespaces; timeout 5 s, concurrency ${base.concurrency}; healthy checks scored down per run: engine ${falseDown(engine!)}, bare ${falseDown(bare!)}; engine checks ended by the engine's deadline, not the probe's: ${engine!.map((x) => x.engineTimedOut).join('/')}`;
    const med = (samples: readonly Record<string, number | string>[], key: string) => round(median(samples.map((x) => Number(x[key]))), 0);
    const tail = `second round, medians: last check started at ${med(engine!, 'lastCheckStartMs')} ms (engine) / ${med(bare!, 'lastCheckStartMs')} ms (bare), last check ended at ${med(engine!, 'lastCheckEndMs')} / ${med(bare!, 'lastCheckEndMs')} ms`;
    const detail = (wall: typeof cold, cpu: typeof cold) =>
      `${round(wall.a, 0)} ms vs ${round(wall.b, 0)} ms (engine ${round(Math.min(...wall.as), 0)}–${round(Math.max(...wall.as), 0)}, bare ${round(Math.min(...wall.bs), 0)}–${round(Math.max(...wall.bs), 0)}); CPU ${round(cpu.a, 0)} ms vs ${round(cpu.b, 0)} ms; ${spread(wall)}; ${how}`;
    rows.push({ scenario, size, metric: 'wall-time ratio, first round (fresh process)', value: round(cold.ratio), target: '', detail: detail(cold, coldCpu) });
    rows.push({ scenario, size, metric: 'wall-time ratio, second round (warm)', value: round(warm.ratio), target: '≤ 1.05', detail: `${detail(warm, warmCpu)}; ${tail}` });
    log(`emulated network ${teams}x${services}: cold ${round(cold.ratio)}, warm ${round(warm.ratio)} (${network.link}; ${network.blackHole})`);
  } finally {
    network.close();
  }
}

/**
 * 7. Rounds that fit their interval when services are dead: the CLI end to end at
 * default settings, 20% of services black-holed, timeout 5 s, each size repeated (at
 * least 5 runs); then the CLI round against the library round for the same 500 × 20
 * checks with none dead (alternating), the CLI's start-up taken off.
 */
async function roundsFitSection(rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const timeoutMs = 5000;
  const repeat = Math.max(runs, quick ? 1 : 5);
  const scenario = '7. Rounds that fit: HTTP checks, 4 of 20 black-holed, timeout 5 s, CLI `scan --json` at default settings, PostgreSQL';
  const sizes: ReadonlyArray<readonly [number, number]> = quick ? [[100, 1500]] : [[500, 1500], [1000, 3000]];
  for (const [teams, slack] of sizes) {
    const samples: Record<string, number | string>[] = [];
    for (let i = 0; i < repeat; i++) samples.push(await child('dead-services', { teams, dead: 4, timeoutMs, mode: 'cli' }));
    raw[`roundsFit-${teams}`] = samples;
    const col = (key: string) => samples.map((x) => Number(x[key]));
    const wall = col('wallMs');
    const fmt = (xs: number[]) => xs.map((x) => round(x, 0)).join('/');
    rows.push({
      scenario,
      size: `${teams} × 20`,
      metric: 'scan wall time, s (median)',
      value: round(median(wall) / 1000, 2),
      target: `≤ ${(timeoutMs + slack) / 1000}`,
      detail: `runs ${round(Math.min(...wall) / 1000, 2)}–${round(Math.max(...wall) / 1000, 2)} s (${repeat}); start-up ${round(median(col('startupMs')), 0)} ms; healthy checks scored down per run ${fmt(col('healthyDown'))}; engine deadlines ${fmt(col('engineTimedOut'))}; re-run ${fmt(col('rerun'))}, not scored (overloaded) ${fmt(col('overloaded'))}`,
    });
    rows.push({
      scenario,
      size: `${teams} × 20`,
      metric: 'event-loop lag p99, ms (median)',
      value: round(median(col('lagP99Ms')), 1),
      target: teams === 500 ? '≤ 50' : '',
      detail: `p50 ${fmt(col('lagP50Ms'))} ms, p99 ${fmt(col('lagP99Ms'))} ms, max ${fmt(col('lagMaxMs'))} ms per run`,
    });
    log(`rounds fit ${teams}x20: ${round(median(wall) / 1000, 2)} s, healthy down ${fmt(col('healthyDown'))}, lag p99 ${fmt(col('lagP99Ms'))}`);
  }
  const teams = quick ? 100 : 500;
  const [cli, lib] = await alternate('dead-services', [
    { teams, dead: 0, timeoutMs, mode: 'cli' },
    { teams, dead: 0, timeoutMs, mode: 'library' },
  ], runs);
  const cliRound = cli!.map((x) => Number(x.wallMs) - Number(x.startupMs));
  const libRound = lib!.map((x) => Number(x.wallMs));
  const paired = cliRound.map((c, i) => c / libRound[i]!);
  raw.cliVsLibrary = { cli, lib };
  rows.push({
    scenario: '7. The CLI round against the library round: HTTP checks, none dead, default settings, PostgreSQL',
    size: `${teams} × 20`,
    metric: 'round ratio, CLI (minus start-up) / library',
    value: round(median(cliRound) / median(libRound)),
    target: '≤ 1.25',
    detail: `${round(median(cliRound), 0)} ms vs ${round(median(libRound), 0)} ms; CLI start-up ${round(median(cli!.map((x) => Number(x.startupMs))), 0)} ms; run by run ${round(Math.min(...paired))}–${round(Math.max(...paired))}`,
  });
  log(`cli vs library ${teams}x20: ${round(median(cliRound) / median(libRound))}`);
}

/** `--rounds-fit`: scenario 7 alone; rows on stdout, no file written. */
async function roundsFitOnly(): Promise<void> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  await roundsFitSection(rows, raw);
  process.stdout.write(`${JSON.stringify({ rows, raw }, null, 2)}\n`);
  printRows(rows);
}

async function main() {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};

  // 1. Engine overhead against bare probes: the engine with one check thread (the
  // target), the engine in one thread (informative), the bare loop; at 100 teams also the
  // engine with one check thread and the bare loop, both with V8's tier-up delayed
  // (informative: how much of the first round is V8 compiling), and both against servers
  // that keep connections 5 s (informative: see team-servers.ts).
  for (const teams of quick ? [20] : [100, 500]) {
    const base = { teams, services: 20, concurrency: 256, store: 'postgres' };
    const delayed = teams === 100 ? [{ ...base, mode: 'engine', threads: 1, nodeFlags: DELAYED_TIER_UP }, { ...base, mode: 'bare', nodeFlags: DELAYED_TIER_UP }] : [];
    const keptAlive = teams === 100 ? [{ ...base, mode: 'engine', threads: 1, serverKeepAliveMs: NODE_KEEP_ALIVE_MS }, { ...base, mode: 'bare', serverKeepAliveMs: NODE_KEEP_ALIVE_MS }] : [];
    const [threaded, single, bare, threadedDelayed, bareDelayed, threadedKept, bareKept] = await alternate('http-overhead', [
      { ...base, mode: 'engine', threads: 1 },
      { ...base, mode: 'engine', threads: 0 },
      { ...base, mode: 'bare' },
      ...delayed,
      ...keptAlive,
    ], runs);
    const sides = [
      { name: 'engine (1 check thread)+PostgreSQL vs bare undici', samples: threaded!, bare: bare!, target: '≤ 1.10' },
      { name: 'engine (no check thread)+PostgreSQL vs bare undici', samples: single!, bare: bare!, target: '' },
      ...(threadedDelayed && bareDelayed
        ? [{ name: `engine (1 check thread)+PostgreSQL vs bare undici, both with V8 tier-up delayed (${DELAYED_TIER_UP.join(' ')})`, samples: threadedDelayed, bare: bareDelayed, target: '' }]
        : []),
      ...(threadedKept && bareKept
        ? [{ name: `engine (1 check thread)+PostgreSQL vs bare undici, servers keeping connections ${NODE_KEEP_ALIVE_MS / 1000} s`, samples: threadedKept, bare: bareKept, target: '' }]
        : []),
    ];
    for (const side of sides) {
      const cold = ratioOf(side.samples, side.bare, 'firstRoundMs');
      const warm = ratioOf(side.samples, side.bare, 'wallMs');
      const coldCpu = ratioOf(side.samples, side.bare, 'firstRoundCpuMs');
      const warmCpu = ratioOf(side.samples, side.bare, 'cpuMs');
      raw[`overhead-${teams}x20-${side.name}`] = { firstRoundMs: cold, wallMs: warm, firstRoundCpuMs: coldCpu, cpuMs: warmCpu };
      const detail = (wall: typeof cold, cpu: typeof cold) => `${round(wall.a, 0)} ms vs ${round(wall.b, 0)} ms; CPU ${round(cpu.a, 0)} ms vs ${round(cpu.b, 0)} ms; ${spread(wall)}`;
      // The warm round is the target (every round but a fresh process's first); the first
      // round is informative: its extra time is V8 compiling the engine (bench/notes.md).
      rows.push({ scenario: `1. HTTP checks, ${side.name}`, size: `${teams} × 20`, metric: 'wall-time ratio, first round (fresh process)', value: round(cold.ratio), target: side.target ? '(informative: V8 compile time)' : '', detail: detail(cold, coldCpu) });
      rows.push({ scenario: `1. HTTP checks, ${side.name}`, size: `${teams} × 20`, metric: 'wall-time ratio, second round (warm)', value: round(warm.ratio), target: side.target, detail: detail(warm, warmCpu) });
      log(`overhead ${teams}x20 ${side.name}: cold ${round(cold.ratio)}, warm ${round(warm.ratio)}`);
    }
  }

  // 2. Engine cost per check.
  const sizes = quick ? [1000, 5000] : [1000, 5000, 10_000, 50_000];
  const cost: Record<number, { median: number; values: number[]; samples: Record<string, number | string>[] }> = {};
  for (const checks of sizes) {
    cost[checks] = await medianOf('engine-cost', { checks, store: 'postgres' }, 'wallMs', runs);
    const s = cost[checks];
    const rss = median(s.samples.map((x) => Number(x.maxRssMb)));
    rows.push({ scenario: '2. no-op checks, PostgreSQL store', size: `${checks}`, metric: 'µs per check (all-in)', value: round((s.median * 1000) / checks, 1), target: checks === 50_000 ? '≤ 100' : '', detail: `${round(s.median / 1000, 2)} s, peak RSS ${round(rss, 0)} MB` });
    log(`engine-cost ${checks}: ${round((s.median * 1000) / checks, 1)} us/check`);
  }
  raw.engineCost = cost;
  const big = sizes.at(-1)!;
  const growth = cost[big]!.median / cost[5000]!.median;
  rows.push({ scenario: '2. no-op checks, PostgreSQL store', size: `${big} / 5000`, metric: 'growth (linear = 10)', value: round(growth, 2), target: quick ? '' : '≤ 11', detail: '' });

  // 3. Hung checks.
  const hung = await medianOf('hung-checks', { checks: 2000, hungShare: 0.1, timeoutMs: 2000, store: 'postgres' }, 'wallMs', runs);
  raw.hung = hung;
  rows.push({ scenario: '3. 10% of 2,000 checks never answer, timeout 2 s', size: '2000', metric: 'scan wall time, s', value: round(hung.median / 1000, 2), target: '≤ 2.5', detail: `${hung.samples[0]?.timedOut} timed out` });

  // 4. The inspection hub attached, with a client consuming its stream, against none.
  const insp = await compare('engine-cost', { checks: quick ? 2000 : 10_000, store: 'postgres', inspect: true }, { checks: quick ? 2000 : 10_000, store: 'postgres' }, 'wallMs');
  raw.inspect = insp;
  rows.push({ scenario: '4. inspection hub + a consuming client vs none', size: quick ? '2000' : '10000', metric: 'wall-time ratio', value: round(insp.ratio), target: '≤ 1.3', detail: `${round(insp.a)} ms vs ${round(insp.b)} ms; ${spread(insp)}` });
  // The same, at the 4th scan of one process: the hub's views and resume buffer are full.
  const inspLater = await compare('engine-cost', { checks: quick ? 2000 : 10_000, store: 'postgres', inspect: true, scans: 4 }, { checks: quick ? 2000 : 10_000, store: 'postgres', scans: 4 }, 'wallMs');
  raw.inspectFourthScan = inspLater;
  rows.push({ scenario: '4. inspection hub + a consuming client vs none, 4th scan in one process', size: quick ? '2000' : '10000', metric: 'wall-time ratio', value: round(inspLater.ratio), target: '(informative)', detail: `${round(inspLater.a)} ms vs ${round(inspLater.b)} ms; ${spread(inspLater)}` });

  // 5. Embedded database against the real PostgreSQL.
  const emb = await compare('engine-cost', { checks: quick ? 2000 : 10_000, store: 'embedded' }, { checks: quick ? 2000 : 10_000, store: 'postgres' }, 'wallMs');
  raw.embedded = emb;
  rows.push({ scenario: '5. embedded PGlite vs real PostgreSQL', size: quick ? '2000' : '10000', metric: 'wall-time ratio', value: round(emb.ratio), target: '(informative)', detail: `${round(emb.a)} ms vs ${round(emb.b)} ms; ${spread(emb)}` });

  await emulatedNetworkSection(rows, raw);
  await roundsFitSection(rows, raw);

  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: machineCpus(),
    memoryGb: round(totalmem() / 2 ** 30, 1),
    runs,
    quick,
    rows,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify({ ...report, raw }, null, 2)}\n`);
  if (!quick) writeDoc(report);
  printRows(rows);
}

function printRows(rows: readonly Row[]): void {
  process.stdout.write(`${rows.map((r) => `${r.scenario} [${r.size}] ${r.metric}: ${r.value ?? 'skipped'} ${r.target}`).join('\n')}\n`);
}

/** `--network`: scenario 6 alone; rows and raw runs on stdout, no file written. */
async function networkOnly(): Promise<void> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  await emulatedNetworkSection(rows, raw);
  process.stdout.write(`${JSON.stringify({ rows, raw }, null, 2)}\n`);
  printRows(rows);
}

/** "2 × Intel(R) Xeon(R)…": the machine's processors, for reports. */
function machineCpus(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`;
}

/**
 * The scale-out scenario (bench/scenarios/distributed.ts), apart from the general run:
 * it needs scanner processes and a database of its own. Prints its rows and raw samples.
 */
async function distributed(): Promise<void> {
  const noop = await medianOf('distributed', { kind: 'noop', checks: 10_000, scannerConcurrency: 1000 }, 'ratio', runs);
  const http = await medianOf('distributed', { kind: 'http', checks: 2000, deadShare: 0.2, timeoutMs: 5000, scannerConcurrency: 1000 }, 'distributedWallMs', runs);
  const last = median(noop.samples.map((s) => Number(s.lastStartedMs)));
  const rows: Row[] = [
    { scenario: 'D. 10,000 no-op checks on 2 scanner processes', size: '10000', metric: 'round start → last check started, s', value: round(last / 1000, 2), target: '', detail: '' },
    { scenario: 'D. 10,000 no-op checks on 2 scanner processes', size: '10000', metric: 'wall-time ratio, distributed vs local', value: round(noop.median), target: '≤ 1.5', detail: noop.samples.map((s) => `${round(Number(s.distributedWallMs), 0)} vs ${round(Number(s.localWallMs), 0)} ms`).join('; ') },
    { scenario: 'D. 2,000 HTTP checks, 20% black-holed, timeout 5 s', size: '2000', metric: 'distributed round wall time, s', value: round(http.median / 1000, 2), target: '≤ 7', detail: http.samples.map((s) => `local ${round(Number(s.localWallMs) / 1000, 2)} s, ${s.timedOut} timed out, ${s.interrupted} interrupted`).join('; ') },
  ];
  process.stdout.write(`${rows.map((r) => `${r.scenario} [${r.size}] ${r.metric}: ${r.value} ${r.target} (${r.detail})`).join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ noop: noop.samples, http: http.samples })}\n`);
}

const PROTOCOLS_JSON = join(root, 'bench/results/protocols.json');

/** docs/benchmarks.md from a run, the last protocol benchmark (if any) and bench/notes.md. */
function writeDoc(report: BenchReport): void {
  const protocols = existsSync(PROTOCOLS_JSON) ? (JSON.parse(readFileSync(PROTOCOLS_JSON, 'utf8')) as ProtocolReport) : undefined;
  writeFileSync(join(root, 'docs/benchmarks.md'), renderReport(report, readFileSync(join(root, 'bench/notes.md'), 'utf8'), protocols));
}

/** The general report of the last full run. */
function lastReport(): BenchReport {
  return JSON.parse(readFileSync(join(root, 'bench/results/latest.json'), 'utf8')) as BenchReport;
}

/** `--protocols`: the protocol benchmark alone, then docs/benchmarks.md with its section. */
async function protocols(): Promise<void> {
  const fresh = await runProtocols(runs, (line) => process.stderr.write(`${line}\n`), { cpus: machineCpus() });
  // BENCH_PROTOCOLS=ssh re-measures ssh and keeps the other types of the last run
  const report = existsSync(PROTOCOLS_JSON) ? mergeProtocolReports(JSON.parse(readFileSync(PROTOCOLS_JSON, 'utf8')) as ProtocolReport, fresh) : fresh;
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(PROTOCOLS_JSON, `${JSON.stringify(report, null, 2)}\n`);
  writeDoc(lastReport());
  for (const r of fresh.rows) process.stdout.write(`${r.type}: ${r.engineCpuMs} vs ${r.bareCpuMs} ms CPU per check, ratio ${r.ratio}\n`);
  for (const s of fresh.skipped) process.stdout.write(`${s.type}: skipped, ${s.reason}\n`);
}

const job = process.argv.includes('--render')
  ? async () => writeDoc(lastReport())
  : process.argv.includes('--protocols')
    ? protocols
    : process.argv.includes('--distributed')
      ? distributed
      : process.argv.includes('--network')
        ? networkOnly
        : process.argv.includes('--rounds-fit')
          ? roundsFitOnly
          : main;
job().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
