/**
 * `CheckThreads`: the engine's pool of check threads (`checkThreads` option). A check
 * actor whose type a thread can load has its hooks from resolveMulti to postCheck run
 * there; the actor itself, its team, the database and the inspection stream stay in the
 * engine's thread, which the thread's reports drive through the same events as an
 * in-thread check (check.preCheck … check.ended).
 *
 * A thread that stops answering (a check blocking its event loop past its deadline) or
 * crashes is replaced; its checks end with an error that names why. Nothing here holds
 * a timer per check: one watchdog sweep a second while checks run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { errorMessage, ScorekeeperError } from '../errors.js';
import { sendSteps, startCheckWorker, type CheckHookHost, type CheckStep, type SendSteps } from '../lifecycle/check-worker.js';
import { endedWithError } from '../lifecycle/outcome.js';
import type { LifecycleInput } from '../lifecycle/run-lifecycle.js';
import type { Phase } from '../lifecycle/states.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import { ParamsNumbering } from './params-ids.js';
import type { CheckThreadData, FromThread, JobReport, ThreadJob, ToThread } from './thread-messages.js';

/** Options of a pool. */
export interface CheckThreadsOptions {
  /** Number of threads (≥ 1). */
  readonly count: number;
  readonly registry: ServiceRegistry;
  /** Whether check log lines are written at all (else threads do not send them). */
  readonly logsWanted: () => boolean;
  readonly logger: Logger;
  /**
   * Time a check may overrun its deadline (plus postCheck's grace) before its thread
   * counts as stuck and is replaced. Default 5,000 ms.
   */
  readonly stuckAfterMs?: number;
}

/** A check running in a thread, as the engine tracks it. */
interface RunningJob {
  readonly input: LifecycleInput;
  readonly send: SendSteps;
  readonly slot: ThreadSlot;
  /** When the thread counts as stuck if the check has not ended (epoch ms). */
  readonly stuckAt: number;
  phase: Phase | undefined;
}

/** One thread and what waits to be sent to it. */
interface ThreadSlot {
  worker: Worker;
  ready: boolean;
  outbox: ThreadJob[];
  running: number;
  generation: number;
  /** A thread that died while starting is not started again: its checks run here. */
  dead: boolean;
}

/** The compiled thread entry: next to this file, or in dist/ when this runs from source (tests). */
function threadEntry(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.js')) return new URL('./check-thread.js', here);
  const built = new URL('../../dist/src/threads/check-thread.js', here);
  if (!existsSync(fileURLToPath(built))) {
    throw new ScorekeeperError('SK_CHECK_THREAD', `check threads run compiled code: ${fileURLToPath(built)} is missing (npm run build)`);
  }
  return built;
}

/** The engine's check threads. */
export class CheckThreads implements CheckHookHost {
  private readonly slots: ThreadSlot[] = [];
  private readonly jobs = new Map<number, RunningJob>();
  private readonly listened = new WeakSet<AbortSignal>();
  /** Numbers the params objects sent, so a thread keeps one copy of each (params-ids.ts). */
  private readonly paramsNumbering = new ParamsNumbering();
  private accepted = new Set<string>();
  private nextId = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private closed = false;
  private readonly stuckAfterMs: number;

  constructor(private readonly options: CheckThreadsOptions) {
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new ScorekeeperError('SK_CONFIG', `checkThreads must be a whole number ≥ 1, got ${String(options.count)}`);
    }
    this.stuckAfterMs = options.stuckAfterMs ?? 5000;
  }

  /**
   * Starts the threads and learns which types they can run: those registered from a
   * module (built-in checks, plugins) that every thread loaded. A multi type is run in
   * a thread only when every type it could resolve to can be.
   */
  async start(): Promise<void> {
    const modules = this.options.registry.modules();
    if (modules.length === 0) {
      // Every type came from user code: a thread could run none of them.
      this.options.logger.warn("checkThreads is set, but no check type was registered from a module (built-in checks or a plugin): every check runs in the engine's thread");
      return;
    }
    const answers = await Promise.all(Array.from({ length: this.options.count }, () => this.spawn(modules)));
    const failures = [...new Set(answers.flatMap((a) => a.failures))];
    for (const failure of failures) this.options.logger.warn({ failure }, `a check thread could not load a checks module; its types run in the engine's thread: ${failure}`);
    const everywhere = answers.map((a) => new Set(a.types));
    const { registry } = this.options;
    const loadable = registry.list().map((t) => t.shortName).filter((name) => registry.moduleOf(name) !== undefined && everywhere.every((s) => s.has(name)));
    const all = loadable.length === registry.list().length;
    this.accepted = new Set(loadable.filter((name) => registry.get(name).kind !== 'multi' || all));
  }

  /** Whether checks of `type` run in a thread. */
  accepts(type: ServiceType): boolean {
    return this.accepted.has(type.shortName);
  }

  /** Runs a started check's hooks in a thread (or here, if its services cannot be sent). */
  run(input: LifecycleInput, send: SendSteps): void {
    const slot = this.closed ? undefined : this.leastBusy();
    if (!slot) {
      startCheckWorker(input, send);
      return;
    }
    const id = ++this.nextId;
    const grace = input.postCheckGraceMs ?? Math.min(1000, input.timeoutMs);
    this.jobs.set(id, { input, send, slot, stuckAt: Date.now() + input.timeoutMs + grace + this.stuckAfterMs, phase: undefined });
    if (slot.running++ === 0) slot.worker.ref();
    slot.outbox.push({
      id,
      type: input.type.shortName,
      services: input.services,
      paramsIds: input.services.map((s) => this.paramsNumbering.idOf(s.params)),
      timeoutMs: input.timeoutMs,
      ...(input.postCheckGraceMs !== undefined ? { postCheckGraceMs: input.postCheckGraceMs } : {}),
      logs: this.options.logsWanted(),
    });
    const { signal } = input;
    if (signal && !this.listened.has(signal)) {
      this.listened.add(signal);
      signal.addEventListener('abort', () => this.cancelAll(signal), { once: true });
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    this.watchdog ??= setInterval(() => this.sweep(), 1000).unref();
    if (signal?.aborted) queueMicrotask(() => this.cancelAll(signal));
  }

  /** Stops every thread; checks still running in them end with an error. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    for (const [id, job] of this.jobs) this.end(id, job, 'the engine was closed while the check ran in a check thread', false);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private leastBusy(): ThreadSlot | undefined {
    let best: ThreadSlot | undefined;
    for (const slot of this.slots) {
      if (!slot.dead && (!best || slot.running + slot.outbox.length < best.running + best.outbox.length)) best = slot;
    }
    return best;
  }

  private spawn(modules: readonly string[], slot?: ThreadSlot): Promise<{ types: readonly string[]; failures: readonly string[] }> {
    const worker = new Worker(threadEntry(), { workerData: { modules } satisfies CheckThreadData });
    const current: ThreadSlot = slot ?? { worker, ready: false, outbox: [], running: 0, generation: 0, dead: false };
    if (slot) {
      slot.worker = worker;
      slot.ready = false;
      slot.generation++;
    } else {
      this.slots.push(current);
    }
    const generation = current.generation;
    if (current.running === 0) worker.unref();
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        if (message.kind === 'ready') {
          current.ready = true;
          resolve(message);
          this.flush();
        } else {
          this.receive(message.reports);
        }
      });
      const failed = (why: string) => {
        if (current.generation !== generation || this.closed) return;
        // Died before it was ready: starting it again would likely fail the same way.
        if (!current.ready) current.dead = true;
        this.replace(current, why);
      };
      worker.on('error', (err) => {
        reject(err);
        failed(`the check thread crashed: ${errorMessage(err)}`);
      });
      worker.on('exit', (code) => {
        reject(new ScorekeeperError('SK_CHECK_THREAD', `a check thread exited with code ${code} before it was ready`));
        failed(`the check thread exited with code ${code}`);
      });
    });
  }

  /** Ends every check of a failed thread with `why`, and starts a new thread in its place. */
  private replace(slot: ThreadSlot, why: string, culprit?: number): void {
    for (const [id, job] of this.jobs) {
      if (job.slot !== slot) continue;
      if (id === culprit) this.end(id, job, `timed out: the check kept its thread busy past its deadline (${job.input.timeoutMs / 1000} s${job.phase ? ` during ${job.phase}` : ''}); the thread was replaced`, true);
      else this.end(id, job, `${why}; this check was running in it`, false);
    }
    slot.outbox = [];
    slot.generation++;
    void slot.worker.terminate();
    if (this.closed) return;
    if (slot.dead) {
      this.options.logger.error({ why }, `a check thread died while starting; its share of checks runs in the engine's thread: ${why}`);
      return;
    }
    this.options.logger.warn({ why }, `replacing a check thread: ${why}`);
    this.spawn(this.options.registry.modules(), slot).catch((err: unknown) => {
      this.options.logger.error({ err: errorMessage(err) }, 'a replacement check thread failed to start');
    });
  }

  /** Ends one check here, with an error for each of its services. */
  private end(id: number, job: RunningJob, error: string, timedOut: boolean): void {
    this.finish(id, job);
    // The check actor takes its end from resolving or postCheck only (CHECK_TRANSITIONS, machines/checkActorLogic.ts).
    if (job.phase === undefined) job.send({ type: 'check.resolving' });
    else if (job.phase === 'preCheck' || job.phase === 'checking') job.send({ type: 'check.postCheck' });
    job.send({ type: 'check.ended', outcome: endedWithError(job.input.services, error, timedOut) });
  }

  private finish(id: number, job: RunningJob): void {
    this.jobs.delete(id);
    if (--job.slot.running === 0 && job.slot.outbox.length === 0) job.slot.worker.unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const slot of this.slots) {
      if (!slot.ready || slot.outbox.length === 0) continue;
      const jobs = slot.outbox;
      slot.outbox = [];
      try {
        slot.worker.postMessage({ kind: 'jobs', jobs } satisfies ToThread);
      } catch {
        // Something a startCheck put on a service itself (not in check.data, which is
        // cloned when startCheck returns) cannot be cloned: send the others one by one.
        for (const job of jobs) this.postOne(slot, job);
      }
    }
  }

  private postOne(slot: ThreadSlot, job: ThreadJob): void {
    try {
      slot.worker.postMessage({ kind: 'jobs', jobs: [job] } satisfies ToThread);
    } catch (err) {
      const running = this.jobs.get(job.id);
      if (!running) return;
      // It runs as it would without threads: slower, but never a silent 0 for want of its state.
      this.options.logger.warn(
        { service: running.input.services[0]?.id, err: errorMessage(err) },
        `${running.input.services[0]?.id ?? 'a check'} runs in the engine's thread: its service cannot be copied to a check thread (${errorMessage(err)}); keep per-check state in check.data`,
      );
      this.finish(job.id, running);
      startCheckWorker(running.input, running.send);
    }
  }

  private receive(reports: readonly JobReport[]): void {
    for (const report of reports) {
      const job = this.jobs.get(report.id);
      if (!job) continue; // ended here already (stuck thread, closed engine)
      const { input } = job;
      const { resolvedType, phases } = report;
      // A report's phases and end reach the check actor as one event (lifecycle/check-worker.ts).
      const steps: CheckStep[] = [];
      for (const phase of phases ?? []) {
        job.phase = phase;
        input.onPhase?.(input.services, phase);
        // resolving is reported before the type is resolved; every later phase names it.
        steps.push(resolvedType && phase !== 'resolving' ? { type: `check.${phase}`, resolvedType } : { type: `check.${phase}` });
      }
      for (const line of report.logs ?? []) input.logSink(input.services[line.service] ?? input.services[0]!, line.line);
      if (report.outcome) {
        this.finish(report.id, job);
        steps.push({ type: 'check.ended', outcome: report.outcome });
      }
      sendSteps(job.send, steps);
    }
  }

  /** Cancels, in their threads, the checks listening to `signal` (a stopped scan or team). */
  private cancelAll(signal: AbortSignal): void {
    const bySlot = new Map<ThreadSlot, number[]>();
    for (const [id, job] of this.jobs) {
      if (job.input.signal !== signal) continue;
      const ids = bySlot.get(job.slot) ?? [];
      ids.push(id);
      bySlot.set(job.slot, ids);
    }
    const reason: unknown = signal.reason;
    const message = errorMessage(reason ?? 'stopped');
    const code = reason instanceof ScorekeeperError ? reason.code : undefined;
    for (const [slot, ids] of bySlot) {
      if (!slot.ready) {
        // A thread still starting (a replacement) has not been sent these: end them here.
        const cancelled = new Set(ids);
        slot.outbox = slot.outbox.filter((job) => !cancelled.has(job.id));
        for (const id of ids) this.end(id, this.jobs.get(id)!, message, false);
        continue;
      }
      // Jobs not yet sent go first, so the cancel follows them in order.
      if (slot.outbox.length > 0) this.flush();
      slot.worker.postMessage({ kind: 'cancel', ids, reason: code ? { code, message } : { message } } satisfies ToThread);
    }
  }

  /** Replaces a thread whose check overran its deadline by `stuckAfterMs`. */
  private sweep(): void {
    if (this.jobs.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
      return;
    }
    const now = Date.now();
    for (const [id, job] of this.jobs) {
      if (now >= job.stuckAt) {
        this.replace(job.slot, `the check thread was replaced because ${job.input.services[0]?.id ?? 'a check'} kept it busy past its deadline`, id);
        return; // the map changed; the next sweep looks again
      }
    }
  }
}
