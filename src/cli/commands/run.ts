/**
 * `scorekeeper run --config F`: a round every interval (± jitter) until stopped.
 * SIGINT, SIGTERM and SIGHUP (a closed terminal, a dropped SSH session) let the round in
 * flight finish and be saved; a second signal stops it at once and exits.
 */
import type { Engine } from '../../engine.js';
import { ScanFailedError, createEngine } from '../../engine.js';
import type { CheckResult, Competition } from '../../types.js';
import { intOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { STOP_SIGNALS } from '../stop-signals.js';
import { STORE_OPTIONS, cliLogger, loadConfig, openCliStore } from '../context.js';
import { startVisualizer } from '../../web/start-visualizer.js';
import { renderResults, summaryLine } from './scan.js';

/** Help text of `run`. */
export const RUN_HELP = `Usage: scorekeeper run --config FILE [--rounds N] [--quiet] [--record FILE] [--serve [PORT]] [--data DIR] [--log-file F]

Runs a scan every interval (plus a random jitter), as set in the competition file,
until stopped. Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed, the SSH session
dropped) finishes the round in flight and saves it; a second signal stops the round at
once. When stdout is a terminal a live progress line
shows the round, checks done/total and failures.

  --rounds N      stop after N rounds
  --quiet         print only one summary line per round
  --record FILE   write the inspection stream (sanitized) to FILE, for 'scorekeeper replay'
  --serve [PORT]  serve the visualizer on 127.0.0.1:PORT (default: a free port), see 'serve'`;

/** `--serve` with no value means "any free port": give parseArgs the value it needs. */
function withServeDefault(argv: readonly string[]): string[] {
  const args = [...argv];
  const i = args.indexOf('--serve');
  if (i >= 0 && (i + 1 >= args.length || args[i + 1]!.startsWith('-'))) args.splice(i + 1, 0, '0');
  return args;
}

/** Options of one run loop (used by `run` and `demo`). */
export interface RunLoopOptions {
  readonly engine: Engine;
  readonly competition: Competition;
  readonly intervalMs: number;
  readonly jitterMs: number;
  readonly rounds?: number;
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly quiet?: boolean;
  readonly random?: () => number;
}

/** Runs rounds until `rounds` are done or a signal asks to stop; returns rounds run. */
export async function runLoop(options: RunLoopOptions): Promise<number> {
  const { engine, competition, out } = options;
  let stopping = false;
  let stopNow: (() => void) | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      stopNow?.();
      return;
    }
    stopping = true;
    // After SIGHUP the terminal may be gone: a failed write must not end the process
    // before the round is saved.
    if (signal === 'SIGHUP') for (const stream of [out, process.stdout, process.stderr] as NodeJS.EventEmitter[]) stream.on('error', () => undefined);
    out.write(`\n${signal}: finishing the current round, then stopping (again to stop now)\n`);
    wake?.();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let done = 0;
  let failedRounds = 0;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    while (!stopping && (options.rounds === undefined || done < options.rounds)) {
      const startedAt = Date.now();
      const handle = engine.scan(competition);
      stopNow = () => handle.stop('scan stopped by a second signal');
      const results: CheckResult[] = [];
      let total = 0;
      let failures = 0;
      const progress = out.isTTY && !options.quiet;
      handle.events$.subscribe((e) => {
        if (e.type === 'scan.started') total = e.checks;
        if (e.type === 'check.result') {
          results.push(e.result);
          if (e.result.error !== null) failures++;
          if (progress) out.write(`\rround ${done + 1}: ${results.length}/${total} checks, ${failures} failures `);
        }
      });
      let summary;
      try {
        summary = await handle.summary;
      } catch (err) {
        // A round that could not start (database down past its limit...): say so, and
        // try again next interval rather than ending the competition.
        if (!(err instanceof ScanFailedError)) throw err;
        if (progress) out.write('\r\x1b[K');
        out.write(`round ${done + 1} did not start: ${err.message}\n`);
        failedRounds++;
        if (options.rounds !== undefined && failedRounds >= options.rounds) throw err;
        await pause(options.intervalMs);
        continue;
      }
      done++;
      if (progress) out.write('\r\x1b[K');
      results.sort((a, b) => a.team - b.team || a.service.localeCompare(b.service));
      if (!options.quiet) out.write(`${renderResults(results)}\n`);
      out.write(`${summaryLine(competition.name, summary)}\n`);
      if (stopping || (options.rounds !== undefined && done >= options.rounds)) break;
      const jitter = Math.floor((options.random ?? Math.random)() * options.jitterMs);
      const wait = Math.max(0, startedAt + options.intervalMs + jitter - Date.now());
      await pause(wait);
      wake = undefined;
    }
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  return done;
}

/** Runs `run`. */
export async function runCommand(argv: readonly string[], out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const { values } = parseCommandArgs('run', withServeDefault(argv), {
    config: { type: 'string', short: 'c' },
    rounds: { type: 'string' },
    quiet: { type: 'boolean' },
    'log-file': { type: 'string' },
    record: { type: 'string' },
    serve: { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${RUN_HELP}\n`), 0;
  if (!values.config) throw new UsageError("run: --config FILE is required; see 'scorekeeper run --help'");
  const rounds = intOption('run', 'rounds', values.rounds, 1);
  const servePort = intOption('run', 'serve', values.serve, 0);
  if (servePort !== undefined && servePort > 65535) throw new UsageError(`run: --serve port must be 0..65535, got ${servePort}`);
  const { loaded, registry } = await loadConfig(values.config);
  const logger = cliLogger(values['log-file']);
  const store = await openCliStore(values.data, { logger, engineCommand: 'run' });
  try {
    const engine = createEngine({ registry, store, logger, concurrency: loaded.settings.concurrency, checkThreads: loaded.settings.threads });
    const visualizer =
      servePort !== undefined || values.record
        ? await startVisualizer({
            engine,
            competition: loaded.competition,
            registry,
            tokens: loaded.tokens,
            ...(servePort !== undefined ? { port: servePort } : {}),
            ...(values.record ? { record: values.record } : {}),
          })
        : undefined;
    try {
      for (const line of visualizer?.describe() ?? []) out.write(`${line}\n`);
      await runLoop({
        engine,
        competition: loaded.competition,
        intervalMs: loaded.settings.intervalMs,
        jitterMs: loaded.settings.jitterMs,
        out,
        ...(rounds !== undefined ? { rounds } : {}),
        ...(values.quiet ? { quiet: true } : {}),
      });
    } finally {
      await visualizer?.close();
    }
    return 0;
  } finally {
    await store.close();
  }
}
