/**
 * The loop of `run`, `serve` and `demo`: a round every interval (± jitter) until the
 * rounds are done or a signal asks to stop. SIGINT, SIGTERM and SIGHUP (a closed
 * terminal, a dropped SSH session) let the round in flight finish and be saved; a second
 * signal stops it at once.
 */
import type { Engine } from '../engine.js';
import { ScanFailedError } from '../engine.js';
import type { CheckResult, Competition } from '../types.js';
import { STOP_SIGNALS } from './stop-signals.js';
import { renderResults, summaryLine } from './commands/scan.js';
import { roundFit, roundFitWarning, roundPlanOf } from '../planning/round-fit.js';

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
  /** Runs before each round (distributed mode: warns about zones with no live scanner). */
  readonly beforeRound?: () => Promise<void>;
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
  // A round that cannot fit its interval is said before the first round, not found after.
  const fitWarning = roundFitWarningOf(competition, engine, options.intervalMs);
  if (fitWarning) out.write(`warning: ${fitWarning}\n`);
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
      await options.beforeRound?.();
      const handle = engine.scan(competition, { roundMs: options.intervalMs });
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

/** The warning for a round of `competition` that may not fit `intervalMs` on `engine`, if any. */
export function roundFitWarningOf(competition: Competition, engine: Engine, intervalMs: number): string | undefined {
  const plan = roundPlanOf(competition, engine.registry, engine.limiter.max, intervalMs);
  return roundFitWarning(roundFit(plan), plan);
}
