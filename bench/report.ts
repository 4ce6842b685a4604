/** Renders docs/benchmarks.md from a benchmark run and the last protocol benchmark. */
import type { ProtocolReport } from './run-protocols.js';

/** One line of the results table. */
export interface Row {
  readonly scenario: string;
  readonly size: string;
  readonly metric: string;
  /** The median; null when the scenario was skipped (the detail says why). */
  readonly value: number | null;
  readonly target: string;
  readonly detail: string;
}

/** A whole run. */
export interface BenchReport {
  readonly date: string;
  readonly node: string;
  readonly cpus: string;
  readonly memoryGb: number;
  readonly runs: number;
  readonly quick: boolean;
  readonly rows: readonly Row[];
}

/**
 * The markdown of docs/benchmarks.md: the run's table, the protocol benchmark's section
 * (bench/results/protocols.json) when there is one, then `notes` (bench/notes.md).
 */
export function renderReport(r: BenchReport, notes: string, protocols?: ProtocolReport): string {
  const table = ['| scenario | size | metric | median | target | detail |', '|---|---|---|---|---|---|', ...r.rows.map((x) => `| ${x.scenario} | ${x.size} | ${x.metric} | ${x.value} | ${x.target} | ${x.detail} |`)].join('\n');
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); raw runs in \`bench/results/latest.json\`.
Every number is a median over ${r.runs} runs, each in a fresh process; both sides of a
comparison run alternately in the same run, because these machines are shared and noisy.
A ratio is the ratio of the two sides' medians; "run by run" gives the range (and median)
of the ratios of runs made back to back, which shows how far a single run can be trusted.

- date: ${r.date}
- machine: ${r.cpus}, ${r.memoryGb} GiB
- Node ${r.node}

${table}

## Scenarios
1. **Overhead against bare probes**: N teams × 20 services of real HTTP checks against
   one local HTTP server per team (each on its own loopback address, served from the
   benchmark's main thread), through the engine with the PostgreSQL store (every result
   persisted), against a bare loop making the same undici requests (a fresh Agent per
   request, as the http check does) with the same concurrency (256). The engine runs
   with one check thread (\`checkThreads: 1\`, the target rows: the probes run on the
   second core) and without (informative). Each side runs two rounds in one process:
   the first in a fresh process (cold, the target row) and the second warm, as every
   later round of a competition runs. The detail column gives the medians of wall time
   and of the process's CPU time in that round (every thread: the engine's or the bare
   loop's, the check thread, V8's compiler and GC helpers; on both sides the process
   also serves the team servers). At 100 teams the engine with one check thread and the bare loop run once
   more, both with V8's tier-up delayed (informative: see the fourth round below), and once
   more against team servers that keep idle connections 5 s (node's default) instead of
   1 s (informative: see the sixth round below; since the seventh round the http check
   keeps its connection at 1 s as at 5 s, so only the bare loop differs between the two).
2. **Engine cost per check**: no-op checks, 100 per team, PostgreSQL store, all results
   persisted. Growth is wall time at the largest size over wall time at 5,000.
3. **Hung checks**: 10% of 2,000 checks never answer; timeout 2 s.
4. **Inspection**: the scan of 2 with the inspection hub attached and a client
   consuming its stream (as the visualizer's live view does), against none; then the
   same at the 4th scan of one process (informative), when the hub's kept views and
   its resume buffer are full, as in a competition watched all day.
5. **Embedded database**: the scan of 2 on the embedded PGlite against the real
   PostgreSQL: what the zero-setup default costs.
6. **Emulated network**: 100 teams × 20 services of HTTP checks against team hosts in
   network namespaces the benchmark makes (bench/lib/netns.ts: 4 namespaces of 25 team
   addresses in 198.18.0.0/15, each behind a veth link, removed afterwards), 4 of each
   team's 20 services black-holed, timeout 5 s, every check of the round at once on
   both sides (concurrency 2,000). The link: \`netem delay 20ms 5ms loss 1%\` on each
   veth when the kernel has netem, else a relay in each namespace that holds each answer
   chunk 20 ± 5 ms and 1% of new connections 1 s (a lost SYN's retransmit); black
   holes: \`iptables -j DROP\` on their ports when iptables is installed, else a server
   that accepts and never answers. The detail column says which ran. Engine with one
   check thread and the PostgreSQL store against the bare loop of the same undici
   requests (each given the probe's own limit, 4.75 s), alternating, fresh processes,
   two rounds each as in 1; the warm round is the target. Skipped, with the reason in
   the table, where namespaces cannot be made (not root, no \`ip\`).
7. **Rounds that fit**: \`scorekeeper scan --json\` end to end at default settings
   (concurrency \`auto\`, no check thread), PostgreSQL, N teams × 20 http services on
   loopback team addresses with 4 of the 20 black-holed (accept, never answer), timeout
   5 s, team servers in a process of their own; each size 5 times. Reported: wall time
   (target T + 1.5 s at 500 teams, T + 3 s at 1,000), healthy checks scored down (target
   0 in every run), the engine thread's event-loop lag (target p99 ≤ 50 ms at 10,000
   checks), and, with none dead, the CLI's round (its start-up, the wall time of
   \`scorekeeper checks\`, taken off) against the library's round of the same file
   (target ≤ 1.25).

${protocols ? `${renderProtocols(protocols)}\n\n` : ''}${notes.trim()}
`;
}

/** The "Built-in checks against their bare clients" section, from protocols.json. */
export function renderProtocols(p: ProtocolReport): string {
  const table = [
    '| type | steps | checks | CPU/check engine, ms | CPU/check bare, ms | ratio | target | first round: engine vs bare, ms/check (ratio) | wall engine vs bare, ms | passed engine/bare | run by run |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...p.rows.map(
      (x) =>
        `| ${x.type} | ${x.steps} | ${x.checks} | ${x.engineCpuMs} | ${x.bareCpuMs} | ${x.ratio} | ≤ 1.10 | ${x.coldEngineCpuMs} vs ${x.coldBareCpuMs} (${x.coldRatio}) | ${x.engineWallMs} vs ${x.bareWallMs} | ${x.engineOk}/${x.bareOk} | ${x.spread.replace('run by run ', '')} |`,
    ),
  ].join('\n');
  const skipped = p.skipped.length ? `\n\nNot measured: ${p.skipped.map((s) => `${s.type} (${s.reason})`).join('; ')}.` : '';
  return `## Built-in checks against their bare clients

Written by \`npm run bench -- --protocols\` (bench/run-protocols.ts); raw runs in
\`bench/results/protocols.json\`. ${p.date}, ${p.cpus}, Node ${p.node}, medians over ${p.runs}
runs. For each type, N checks against its real Debian daemon on 127.0.0.1 (started by the
benchmark, as the daemon tests do), ${p.concurrency} at a time: through the engine as \`scan\`
runs them (built-in registry, the CLI's logger and resilient PostgreSQL store, every result
persisted) against a bare loop of the same client library doing the same steps. Each side
runs in a fresh process, alternating; CPU is the scanner process's own (every thread, never
the daemon's) from after start-up to the end of the round. The table's CPU is the second
(warm) round, as every round of a competition after the first; the first round is beside it.
docs/sizing.md turns the engine column into checks per second per core.

${table}${skipped}`;
}
