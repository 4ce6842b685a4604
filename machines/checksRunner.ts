/**
 * The team actor's checks runner: an actor the team invokes while `running`. It joins
 * three parts, each with its own module and tests:
 *
 *   - a SlotScheduler (src/scheduling) decides when each check may start under the
 *     scan-wide limiter;
 *   - the runner starts each check actor (checkActorLogic.ts) with itself as parent,
 *     drives it with a worker here or in a check thread, and turns its done event into
 *     one result per service;
 *   - a ResultWriter (src/team-database) runs endCheck and writes the results in
 *     batches, the team's only database step after startCheck.
 *
 * It tells the team its counts (`checks.progress`, at most every `progressMs`, and
 * `progressMs` after a result that came too soon, so the chart never keeps stale counts
 * while a check hangs) and, when every result is written, `checks.finished`. Between
 * those, `liveCounts` holds the counts of every result written (the inspector's). Why not transitions of the team chart: a
 * transition per check (done event, slot grant) is bookkeeping with no states of its
 * own; the chart keeps the team's phases (docs/benchmarks.md, "Where the time goes now").
 */
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { errorMessage } from '../src/errors.js';
import { publishResults, wantsEvents } from '../src/events.js';
import { startCheckWorker } from '../src/lifecycle/check-worker.js';
import type { LifecycleOutcome, ServiceOutcome } from '../src/lifecycle/outcome.js';
import type { Phase } from '../src/lifecycle/states.js';
import { PROGRESS_MS } from '../src/scan/progress-interval.js';
import type { TeamDeps } from '../src/scan/scan-deps.js';
import type { LiveCounts } from '../src/scan/live-counts.js';
import { NO_CHECKS, tally, type TeamCounts } from '../src/scan/team-counts.js';
import { overloadReason, rerunFits } from '../src/scheduling/overload.js';
import { SlotScheduler } from '../src/scheduling/slot-scheduler.js';
import { checkStarts } from '../src/scheduling/start-pacer.js';
import { localActorId, type FinishedCheck, type PreparedGroup } from '../src/team-database/check-group.js';
import { checkResult, failedResult, interruptedResult } from '../src/team-database/check-result.js';
import { ResultWriter } from '../src/team-database/result-writer.js';
import type { CheckResult, ScanRecord, Service } from '../src/types.js';
import { massCheckLogic, sendingTo, serviceCheckLogic, type CheckActorInput } from './checkActorLogic.js';

/** What the runner tells its team. */
export type ChecksRunnerEvent =
  | { type: 'checks.progress'; counts: TeamCounts }
  | { type: 'checks.finished'; counts: TeamCounts; storeIssues: readonly string[]; unsaved: readonly CheckResult[] };

/** What the team invokes the runner with. */
export interface ChecksRunnerInput {
  readonly scan: ScanRecord;
  readonly groups: readonly PreparedGroup[];
  /** Checks that failed before they could run (startCheck, credentials): written first. */
  readonly failed: readonly FinishedCheck[];
  /** Where the runner keeps the check actors running now (the team's context shows them). */
  readonly running: Map<string, AnyActorRef>;
  /** Where the runner keeps the counts of every result written (the team's context shows them). */
  readonly liveCounts: LiveCounts;
  readonly deps: TeamDeps;
  /** Aborts the team's checks (see the team's supervisor). */
  readonly signal: AbortSignal;
  /** The team's reserved slots at the limiter, ended at the first start. */
  readonly endReservation: () => void;
}

/** Done and error events of the check actors. */
type CheckActorEvent = { type: string; output?: unknown; error?: unknown; actorId?: string };

/** The checks runner (see above). */
export const checksRunner = fromCallback<CheckActorEvent, ChecksRunnerInput>(({ input, self, sendBack, receive }) => {
  const { groups, deps, scan, signal, running } = input;
  const progressMs = deps.progressMs ?? PROGRESS_MS;
  const byActor = new Map(groups.map((g) => [localActorId(g.actorId), g]));
  const onPhase = (services: readonly Service[], phase: Phase) => {
    if (wantsEvents(deps)) deps.notify({ type: 'check.state', serviceIds: services.map((s) => s.id), state: phase, at: Date.now() });
  };
  let counts: TeamCounts = NO_CHECKS;
  let lastProgress = 0;
  /** A progress update waiting for its interval (results came sooner than progressMs after the last). */
  let progressTimer: NodeJS.Timeout | undefined;
  const sendProgress = () => {
    progressTimer = undefined;
    lastProgress = Date.now();
    sendBack({ type: 'checks.progress', counts });
  };

  /** Set when the runner is stopped: starts still waiting at the pacer are dropped. */
  let closed = false;
  /** Groups run a second time (scanner overloaded), with the stall of their first run, ms. */
  const rerunGroups = new Map<PreparedGroup, number>();

  /** Starts the check actor of `group` and its worker (`again`: a second run, already announced). */
  const startCheck = (group: PreparedGroup, again = false) => {
    const actorInput: CheckActorInput = {
      services: group.services,
      checkIds: group.records.map((r) => r.id),
      actorId: group.actorId,
      type: group.type,
      registry: deps.registry,
      logSink: deps.logSink,
      timeoutMs: actorTimeout(group),
      onPhase,
      signal,
      ...(deps.postCheckGraceMs !== undefined ? { postCheckGraceMs: deps.postCheckGraceMs } : {}),
    };
    const id = localActorId(group.actorId);
    const actor = createActor(group.type.kind === 'mass' ? massCheckLogic : serviceCheckLogic, { id, parent: self, input: actorInput });
    running.set(id, actor);
    if (!again && wantsEvents(deps)) {
      for (const record of group.records) {
        deps.notify({ type: 'check.started', checkId: record.id, serviceId: record.service.id, team: record.service.team.number, service: record.service.name, checkType: group.type.shortName, at: Date.now() });
      }
    }
    actor.start();
    if (deps.threads?.accepts(group.type)) deps.threads.run(actorInput, sendingTo(actor));
    else startCheckWorker(actorInput, sendingTo(actor));
  };

  const scheduler = new SlotScheduler({
    total: groups.length,
    limiter: deps.limiter,
    ...(deps.fairShare !== undefined ? { fairShare: deps.fairShare } : {}),
    endReservation: input.endReservation,
    // Paced: a burst of starts waits for the next turn rather than stalling this one.
    start: (index) => checkStarts.run(() => {
      if (!closed) startCheck(groups[index]!);
    }),
  });

  const writer = new ResultWriter({
    store: deps.store,
    scan,
    teamInfo: (team, key) => deps.credentials.teamInfo[team]?.[key],
    initial: input.failed,
    expected: groups.reduce((n, g) => n + g.records.length, 0),
    onWritten: (results) => {
      // Results are published once their write was attempted: results$ reflects the store.
      publishResults(deps, results);
      counts = tally(counts, results);
      input.liveCounts.current = counts;
      const wait = lastProgress + progressMs - Date.now();
      if (wait <= 0) sendProgress();
      else progressTimer ??= setTimeout(sendProgress, wait);
    },
    onDone: (storeIssues, unsaved) => {
      clearTimeout(progressTimer);
      sendBack({ type: 'checks.finished', counts, storeIssues, unsaved });
    },
  });

  // A stopped scan (ScanHandle.stop(), a second Ctrl-C) penalises nobody: from the stop
  // on, checks that end and checks that never started are stored interrupted, without a
  // score. Results already in before the stop stay finished.
  let stopReason: string | undefined;
  const onStop = () => {
    if (writer.done) return;
    stopReason = errorMessage(signal.reason ?? 'the scan was stopped');
    const now = deps.now();
    const unstarted = scheduler.cancelUnstarted().map((index) => groups[index]!);
    writer.add(unstarted.flatMap((group) => group.records.map((record, i) => ({ record, type: group.type, result: interruptedResult(record, stopReason!, group.warnings[i] ?? [], now) }))));
  };

  receive((event) => {
    const done = event.type.startsWith('xstate.done.actor.');
    if (!done && !event.type.startsWith('xstate.error.actor.')) return;
    const group = event.actorId !== undefined ? byActor.get(event.actorId) : undefined;
    if (!group || !running.delete(event.actorId!)) return;
    const now = deps.now();
    const error = done ? undefined : `internal error: ${errorMessage(event.error)}`;
    const outcome = done ? (event.output as { outcome: LifecycleOutcome }).outcome : undefined;
    // Set only on a failure whose verdict a stall of its thread makes suspect (run-lifecycle.ts).
    const stalled = stopReason === undefined ? (outcome?.stalledMs ?? 0) : 0;
    if (stalled > 0 && !rerunGroups.has(group) && group.type.kind !== 'mass' && rerunFits(now, actorTimeout(group), deps.roundEndsAt)) {
      // The scanner, not the team, may have missed the answer: run the check again in
      // the same slot (src/scheduling/overload.ts).
      rerunGroups.set(group, stalled);
      startCheck(group, true);
      return;
    }
    let finished = outcome ? resultsOf(group, outcome, now, rerunGroups.get(group), stalled) : group.records.map((record, i) => ({ record, type: group.type, result: failedResult(record, error!, group.warnings[i] ?? [], now) }));
    if (stopReason !== undefined) {
      const reason = stopReason;
      finished = finished.map((f) => ({ ...f, result: interruptedResult(f.record, reason, [], now, f.result) }));
    }
    scheduler.checkEnded();
    writer.add(finished);
  });

  // Started after the team's transition into `running` (XState starts invoked actors then).
  // A scan stopped while the team was starting starts none of its checks.
  if (signal.aborted) onStop();
  else signal.addEventListener('abort', onStop, { once: true });
  scheduler.startReady();
  writer.write();

  return () => {
    closed = true;
    clearTimeout(progressTimer);
    signal.removeEventListener('abort', onStop);
    if (writer.done) return;
    // The team was stopped: the team's signal aborts its checks (they end on their own,
    // their done events are dropped) and their slots go back now.
    writer.stop();
    scheduler.stop();
    running.clear();
  };
});

/** The deadline of a group's check actor: its longest service timeout, ms. */
function actorTimeout(group: { readonly services: readonly Service[] }): number {
  return Math.max(...group.services.map((s) => s.timeoutMs));
}

/**
 * Turns a check actor's outcome into one result per check record of its group.
 * `firstStall`: this is a second run, after a first that stalled that long (ms).
 * `stalled`: this run failed while the scanner stalled that long (ms), with no time left
 * for another run: its failures are stored interrupted, scoring for nobody.
 */
function resultsOf(group: PreparedGroup, outcome: LifecycleOutcome, now: number, firstStall: number | undefined, stalled: number): FinishedCheck[] {
  return group.records.map((record, i) => {
    const service = group.services[i]!;
    const o: Omit<ServiceOutcome, 'serviceId'> = outcome.outcomes.find((x) => x.serviceId === service.id) ?? {
      score: 0,
      error: 'the check actor produced no outcome for this service',
      timedOut: false,
    };
    const warnings = group.warnings[i] ?? [];
    const verdict = { score: o.score, error: o.error, timedOut: o.timedOut, resolvedType: outcome.resolvedType, timings: outcome.timings, warnings: warnings.length === 0 ? outcome.warnings : [...warnings, ...outcome.warnings], ...(outcome.scanner !== undefined ? { scanner: outcome.scanner } : {}) };
    // A check no scanner could run in time (src/scale-out) counts for nobody.
    if (o.interrupted === true) return { record, type: group.type, result: interruptedResult(record, o.error ?? 'not run', [], now, verdict) };
    const result = checkResult(record, verdict, now);
    const stallMs = Math.max(firstStall ?? 0, stalled);
    const evidence = { ...(firstStall !== undefined ? { attempts: 2 } : {}), ...(stallMs > 0 ? { scannerStallMs: stallMs } : {}) };
    if (stalled > 0 && o.error !== null) return { record, type: group.type, result: { ...interruptedResult(record, overloadReason(stalled), [], now, verdict), ...evidence } };
    return { record, type: group.type, result: { ...result, ...evidence } };
  });
}
