/**
 * The team actor's checks runner: an actor the team invokes while `running`, which
 *
 *   - starts the team's check actors under the scan-wide limiter (fair share first,
 *     then through its queue), each with the runner as parent;
 *   - collects each check actor's outcome from its done event;
 *   - runs endCheck and writes the results in batches (finishChecks, the team's only
 *     database step after startCheck), one write at a time;
 *   - tells the team its counts (`checks.progress`, see progressIntervalMs) and, when
 *     every result is written, `checks.finished`.
 *
 * Why not transitions of the team chart: at 50,000 checks a team machine transition per
 * check (done event, slot grant) cost ~45 µs of ~190 µs per check, for bookkeeping
 * that has no states of its own. The chart keeps the team's phases; this keeps the
 * counters (docs/benchmarks.md). Check actors still get plain data only: endCheck and
 * the write happen here, on the team's side, never inside a check.
 */
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { localActorId, type FinishedCheck, type PreparedGroup } from '../src/db-owner/check-group.js';
import { finishChecks } from '../src/db-owner/finish-checks.js';
import { failedResult, pendingWarnings } from '../src/db-owner/prepare-checks.js';
import { errorMessage } from '../src/errors.js';
import type { LifecycleOutcome, Phase } from '../src/lifecycle/run-lifecycle.js';
import type { CheckResult, ScanRecord, Service } from '../src/types.js';
import type { CheckActorInput } from './checkLifecycleMachine.js';
import { driveCheckActor } from './checkWorker.js';
import { massCheckMachine } from './massCheckMachine.js';
import { serviceCheckMachine } from './serviceCheckMachine.js';
import type { TeamDeps } from './teamMachine.js';

/** Results written in one batch at most; smaller batches wait one event-loop turn. */
export const WRITE_BATCH = 500;

/** Counts sent to the team at most this often while checks run (the inspector shows them). */
export const PROGRESS_MS = 1000;

/** Progress updates a whole scan sends its teams per second at most, however many teams it has. */
export const SCAN_PROGRESS_PER_SECOND = 250;

/**
 * How often a team of a scan of `teams` teams sends its counts: every PROGRESS_MS, or
 * less often when the scan has more than SCAN_PROGRESS_PER_SECOND teams. Each update is
 * a transition of the team's chart (an XState macrostep, a snapshot, inspection events):
 * every 100 ms per team, a 500×20 HTTP round made ~9,500 of them for 10,000 checks
 * (bench/notes.md, fifth round).
 */
export function progressIntervalMs(teams: number): number {
  return Math.max(PROGRESS_MS, Math.ceil((teams * 1000) / SCAN_PROGRESS_PER_SECOND));
}

/** A team's counts of written (or unwritable) results. */
export interface TeamCounts {
  readonly checks: number;
  readonly up: number;
  readonly down: number;
  readonly timedOut: number;
}

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
  const { groups, deps, scan, signal } = input;
  const { limiter, notify } = deps;
  const fairShare = deps.fairShare ?? Infinity;
  const progressMs = deps.progressMs ?? PROGRESS_MS;
  const byActor = new Map(groups.map((g) => [localActorId(g.actorId), g]));
  const { running } = input;
  const onPhase = (services: readonly Service[], phase: Phase) => {
    if (wantsEvents(deps)) notify({ type: 'check.state', serviceIds: services.map((s) => s.id), state: phase, at: Date.now() });
  };
  let next = 0;
  let granted = 0;
  let waiting = false;
  let stopped = false;
  let outstanding = groups.reduce((n, g) => n + g.records.length, 0);
  let pending: FinishedCheck[] = [...input.failed];
  let writing = false;
  let writeScheduled = false;
  let lastProgress = 0;
  let counts: TeamCounts = { checks: 0, up: 0, down: 0, timedOut: 0 };
  const storeIssues: string[] = [];
  const unsaved: CheckResult[] = [];

  /** Every check has been started and has ended (its results may still be unwritten). */
  const allResultsIn = () => outstanding === 0 && next >= groups.length;

  /** Starts check actors while slots are free (or granted); queues for the rest. */
  const startReady = () => {
    if (stopped) return;
    while (next < groups.length && (granted > 0 || (running.size < fairShare && limiter.tryAcquire()))) {
      if (granted > 0) granted--;
      const group = groups[next++]!;
      const actorInput: CheckActorInput = {
        services: group.services,
        checkIds: group.records.map((r) => r.id),
        actorId: group.actorId,
        type: group.type,
        registry: deps.registry,
        logSink: deps.logSink,
        timeoutMs: Math.max(...group.services.map((s) => s.timeoutMs)),
        onPhase,
        signal,
        ...(deps.postCheckGraceMs !== undefined ? { postCheckGraceMs: deps.postCheckGraceMs } : {}),
      };
      const id = localActorId(group.actorId);
      const actor = createActor(group.type.kind === 'mass' ? massCheckMachine : serviceCheckMachine, { id, parent: self, input: actorInput });
      running.set(id, actor);
      if (wantsEvents(deps)) {
        for (const record of group.records) {
          notify({ type: 'check.started', checkId: record.id, serviceId: record.service.id, team: record.service.team.number, service: record.service.name, checkType: group.type.shortName, at: Date.now() });
        }
      }
      actor.start();
      if (deps.threads?.accepts(group.type)) deps.threads.drive(actor, actorInput);
      else driveCheckActor(actor, actorInput);
    }
    if (next < groups.length && !waiting) {
      waiting = true;
      limiter.enqueue(onGranted);
    }
    // Its direct share taken, the team's reservation ends (the queue may use the rest).
    input.endReservation();
    // A slot granted after the last check was started goes straight back.
    for (; granted > 0 && next >= groups.length; granted--) limiter.release();
  };

  const onGranted = () => {
    waiting = false;
    if (stopped) {
      limiter.release();
      return;
    }
    granted++;
    startReady();
  };

  /** A check actor ended: its results wait for the next write, its slot goes back. */
  const ended = (group: PreparedGroup, finished: FinishedCheck[]) => {
    running.delete(localActorId(group.actorId));
    limiter.release();
    outstanding -= finished.length;
    for (const f of finished) pending.push(f);
    startReady();
    write();
  };

  /** Writes what is pending: at once when a batch is full or the last result is in, else next turn. */
  const write = () => {
    if (writing || pending.length === 0 || stopped) return finishIfDone();
    if (pending.length < WRITE_BATCH && !allResultsIn()) {
      if (!writeScheduled) {
        writeScheduled = true;
        setImmediate(() => {
          writeScheduled = false;
          if (!writing && pending.length > 0 && !stopped) flush();
        });
      }
      return;
    }
    flush();
  };

  const flush = () => {
    const batch = pending;
    pending = [];
    writing = true;
    finishChecks(batch, deps.store, (team, key) => deps.credentials.teamInfo[team]?.[key], scan).then(
      (results) => written(results),
      (err: unknown) => {
        const results = batch.map((f) => f.result);
        storeIssues.push(`could not write ${batch.length} results: ${errorMessage(err)}`);
        for (const r of results) unsaved.push(r);
        written(results);
      },
    );
  };

  const written = (results: readonly CheckResult[]) => {
    writing = false;
    if (stopped) return;
    // Results are published once their write was attempted: results$ reflects the store.
    publish(deps, results);
    counts = tally(counts, results);
    const now = Date.now();
    if (now - lastProgress >= progressMs) {
      lastProgress = now;
      sendBack({ type: 'checks.progress', counts });
    }
    write();
  };

  const finishIfDone = () => {
    if (stopped || writing || pending.length > 0 || !allResultsIn()) return;
    stopped = true;
    sendBack({ type: 'checks.finished', counts, storeIssues, unsaved });
  };

  receive((event) => {
    const group = event.actorId !== undefined ? byActor.get(event.actorId) : undefined;
    if (!group || !running.has(event.actorId!)) return;
    const now = deps.now();
    if (event.type.startsWith('xstate.done.actor.')) {
      ended(group, resultsOf(group, (event.output as { outcome: LifecycleOutcome }).outcome, now));
    } else if (event.type.startsWith('xstate.error.actor.')) {
      ended(group, group.records.map((record) => ({ record, type: group.type, result: failedResult(record, `internal error: ${errorMessage(event.error)}`, [], now) })));
    }
  });

  // Started after the team's transition into `running` (XState starts invoked actors then).
  startReady();
  write();

  return () => {
    if (stopped) return;
    // The team was stopped: the team's signal aborts its checks (they end on their own,
    // their done events are dropped) and their slots go back now.
    stopped = true;
    for (let i = 0; i < running.size; i++) limiter.release();
    running.clear();
    for (; granted > 0; granted--) limiter.release();
  };
});

/** Turns a check actor's outcome into one result per check record of its group. */
function resultsOf(group: PreparedGroup, outcome: LifecycleOutcome, now: number): FinishedCheck[] {
  return group.records.map((record, i) => {
    const service = group.services[i]!;
    const o = outcome.outcomes.find((x) => x.serviceId === service.id) ?? {
      score: 0,
      error: 'the check actor produced no outcome for this service',
      timedOut: false,
    };
    const result: CheckResult = {
      checkId: record.id,
      scanId: record.scanId,
      team: service.team.number,
      service: service.name,
      type: service.type,
      resolvedType: outcome.resolvedType,
      score: o.score,
      points: service.points,
      error: o.error,
      status: 'finished',
      startedAt: record.startedAt,
      finishedAt: now,
      durationMs: now - record.startedAt,
      warnings: [...(pendingWarnings.get(record) ?? []), ...outcome.warnings],
      timings: outcome.timings,
    };
    return { record, type: group.type, result };
  });
}

/**
 * Whether per-check events are wanted now: events nobody listens to are not built (a few
 * objects per check, on the engine's thread). Without `listening`, always.
 */
export function wantsEvents(deps: Pick<TeamDeps, 'listening'>): boolean {
  return deps.listening?.() ?? true;
}

/** Publishes results on the engine's events (results$), if anyone listens. */
export function publish(deps: Pick<TeamDeps, 'notify' | 'listening'>, results: readonly CheckResult[]): void {
  if (!wantsEvents(deps)) return;
  for (const result of results) deps.notify({ type: 'check.result', result });
}

/** Counts results into a team's counts. */
export function tally(counts: TeamCounts, results: readonly CheckResult[]): TeamCounts {
  let { checks, up, down, timedOut } = counts;
  for (const result of results) {
    checks++;
    if (result.error === null) up++;
    else down++;
    if (result.error?.startsWith('timed out after')) timedOut++;
  }
  return { checks, up, down, timedOut };
}
