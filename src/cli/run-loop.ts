/**
 * The loop of `run`, `serve` and `demo`: a round every interval (± jitter) until the
 * rounds are done or a signal asks to stop. SIGINT, SIGTERM and SIGHUP (a closed
 * terminal, a dropped SSH session) let the round in flight finish and be saved; a second
 * signal stops it at once.
 *
 * On a terminal (stdout a TTY) a progress line (round-progress.ts, progress-line.ts)
 * shows the round in flight and, between rounds, when the next one starts; it is
 * replaced by the round's table and summary line when the round ends. Elsewhere only
 * those are printed. Whoever shows the schedule elsewhere (the inspector) is told
 * through `onNextRound`.
 */
import type { Engine } from '../engine.js';
import { ScanFailedError } from '../engine.js';
import type { NextRound, ScannerHealth } from '../inspection/hub-messages.js';
import type { CheckResult, Competition } from '../types.js';
import { STOP_SIGNALS } from './stop-signals.js';
import { renderResults, summaryLine } from './commands/scan.js';
import { roundFit, roundFitWarning } from '../planning/round-fit.js';
import { planRound } from '../planning/round-plan.js';
import { DEFAULT_TIMEOUT_MS } from '../competition.js';
import { ProgressLine, type TerminalStream } from './progress-line.js';
import { RoundProgress } from './round-progress.js';

/** Options of one run loop (used by `run` and `demo`). */
export interface RunLoopOptions {
  readonly engine: Engine;
  readonly competition: Competition;
  readonly intervalMs: number;
  readonly jitterMs: number;
  readonly rounds?: number;
  readonly out: TerminalStream & { isTTY?: boolean };
  /** No results table: one summary line per round. */
  readonly quiet?: boolean;
  readonly random?: () => number;
  /** Runs before each round (distributed mode: warns about zones with no live scanner). */
  readonly beforeRound?: () => Promise<void>;
  /** Told when the next round is scheduled (between rounds) and undefined when a round starts or the loop ends. */
  readonly onNextRound?: (next: NextRound | undefined) => void;
  /** Told what the scanner says about itself: a round that may not fit (before the first), each round's event-loop lag (after it). */
  readonly onHealth?: (health: ScannerHealth) => void;
  /** Resolves once the log lines so far are written: called before a round's table, so they come first. */
  readonly flushLogs?: () => Promise<void>;
}

/** `14:03:20`, local time. */
function clockTime(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** What the progress line says between rounds. */
function nextRoundText(next: NextRound, now: number): string {
  const round = next.round !== undefined ? `round ${next.round}` : 'next round';
  return `${round} at ${clockTime(next.at)} (in ${Math.max(0, Math.ceil((next.at - now) / 1000))} s)`;
}

/** Runs rounds until `rounds` are done or a signal asks to stop; returns rounds run. */
export async function runLoop(options: RunLoopOptions): Promise<number> {
  const { engine, competition, out } = options;
  const line = out.isTTY === true ? new ProgressLine(out) : undefined;
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
    // After SIGHUP nobody reads the progress line any more.
    if (signal === 'SIGHUP') line?.hide();
    else line?.clear();
    out.write(`${line ? '' : '\n'}${signal}: finishing the current round, then stopping (again to stop now)\n`);
    wake?.();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // A round that cannot fit its interval is said before the first round, not found after.
  const fitWarning = roundFitWarningOf(competition, engine, options.intervalMs);
  if (fitWarning) {
    out.write(`warning: ${fitWarning}\n`);
    options.onHealth?.({ fitWarning });
  }
  let done = 0;
  let failedRounds = 0;
  /** Waits until the next round, saying when it starts. */
  const pause = (ms: number, round?: number) =>
    new Promise<void>((resolve) => {
      const next: NextRound = { at: Date.now() + ms, ...(round !== undefined ? { round } : {}) };
      options.onNextRound?.(next);
      line?.show(() => nextRoundText(next, Date.now()));
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
      options.onNextRound?.(undefined);
      const handle = engine.scan(competition, { roundMs: options.intervalMs });
      stopNow = () => handle.stop('scan stopped by a second signal');
      const results: CheckResult[] = [];
      const progress = new RoundProgress();
      handle.events$.subscribe((e) => {
        progress.onEvent(e);
        if (e.type === 'check.result') results.push(e.result);
      });
      line?.show(() => progress.text(Date.now()));
      let summary;
      try {
        summary = await handle.summary;
      } catch (err) {
        // A round that could not start (database down past its limit...): say so, and
        // try again next interval rather than ending the competition.
        line?.hide();
        if (!(err instanceof ScanFailedError)) throw err;
        out.write(`round ${done + 1} did not start: ${err.message}\n`);
        failedRounds++;
        if (options.rounds !== undefined && failedRounds >= options.rounds) throw err;
        await pause(options.intervalMs);
        continue;
      }
      done++;
      await options.flushLogs?.();
      line?.hide();
      results.sort((a, b) => a.team - b.team || a.service.localeCompare(b.service));
      if (!options.quiet) out.write(`${renderResults(results)}\n`);
      out.write(`${summaryLine(competition.name, summary)}\n`);
      options.onHealth?.({ lastRound: { round: summary.round, loopLag: summary.loopLag, rerun: summary.rerun, overloaded: summary.overloaded } });
      if (stopping || (options.rounds !== undefined && done >= options.rounds)) break;
      const jitter = Math.floor((options.random ?? Math.random)() * options.jitterMs);
      const wait = Math.max(0, startedAt + options.intervalMs + jitter - Date.now());
      await pause(wait, summary.round + 1);
      line?.hide();
      wake = undefined;
    }
  } finally {
    line?.hide();
    options.onNextRound?.(undefined);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  return done;
}

/** The warning for a round of `competition` that may not fit `intervalMs` on `engine`, if any. */
export function roundFitWarningOf(competition: Competition, engine: Engine, intervalMs: number): string | undefined {
  // The plan counts a mass check once per team: on the safe side, it is one slot.
  const plan = planRound(competition, { intervalMs, timeoutMs: competition.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS, concurrency: engine.limiter.max, threads: 0 });
  return roundFitWarning(roundFit(plan), plan);
}
