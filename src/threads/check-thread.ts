/**
 * A check thread (worker_threads entry): runs checks' hooks from resolveMulti to
 * postCheck, as IScorE runs a worker per check, so probes use a core of their own. It
 * registers the same types as the engine by importing the same modules (the built-in
 * checks and each plugin's checks module). It never has a database: startCheck and
 * endCheck stay with the team actor in the engine's thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { freezeDeep } from '../check-data.js';
import { registerBuiltinChecks } from '../checks/index.js';
import { errorMessage, ScorekeeperError } from '../errors.js';
import { endedWithError } from '../lifecycle/outcome.js';
import { runLifecycle, type LifecycleInput } from '../lifecycle/run-lifecycle.js';
import type { Phase } from '../lifecycle/states.js';
import { loadPlugins } from '../plugins.js';
import { loopStalls } from '../scheduling/loop-stalls.js';
import { BUILTIN_CHECKS_MODULE, ServiceRegistry } from '../registry.js';
import type { Service } from '../types.js';
import { ParamsTable } from './params-ids.js';
import type { CancelReason, CheckThreadData, FromThread, JobReport, ThreadJob, ToThread } from './thread-messages.js';

/** Registers every module's types; a module that fails is reported, not fatal. */
async function buildRegistry(modules: readonly string[]): Promise<{ registry: ServiceRegistry; failures: string[] }> {
  const registry = new ServiceRegistry();
  const failures: string[] = [];
  for (const module of modules) {
    try {
      if (module === BUILTIN_CHECKS_MODULE) registerBuiltinChecks(registry);
      else await loadPlugins([module], registry, '/');
    } catch (err) {
      failures.push(`${module}: ${errorMessage(err)}`);
    }
  }
  return { registry, failures };
}

/** Rebuilds the engine's cancel reason as the error a check's signal carries. */
function reasonError(reason: CancelReason): Error {
  return reason.code ? new ScorekeeperError(reason.code, reason.message) : new Error(reason.message);
}

async function serve(port: NonNullable<typeof parentPort>, data: CheckThreadData): Promise<void> {
  const { registry, failures } = await buildRegistry(data.modules);
  // Each check's outcome says how long this thread stalled while it ran (loop-stalls.ts).
  loopStalls.hold();
  const cancels = new Map<number, (reason: unknown) => void>();
  // So that params parsed once per definition stay parsed across messages (params-ids.ts).
  const params = new ParamsTable();
  let outbox = new Map<number, JobReport>();
  /** This turn's report of job `id`, sent with the others on the next turn. */
  const reportOf = (id: number): JobReport => {
    let report = outbox.get(id);
    if (!report) {
      if (outbox.size === 0) setImmediate(flush);
      outbox.set(id, (report = { id }));
    }
    return report;
  };
  const flush = () => {
    const reports = [...outbox.values()];
    outbox = new Map();
    port.postMessage({ kind: 'reports', reports } satisfies FromThread);
  };

  const run = (job: ThreadJob) => {
    const { id } = job;
    // The job is this thread's own copy (a structured clone): its services may be changed.
    job.services.forEach((service, i) => ((service as { params?: Service['params'] }).params = params.adopt(job.paramsIds[i] ?? 0, service.params)));
    // Read-only in the hooks, as it is in the engine's thread (check-data.ts); a clone is not frozen.
    for (const service of job.services) freezeDeep(service.data);
    const input: LifecycleInput = {
      services: job.services,
      type: registry.get(job.type),
      registry,
      logSink: job.logs ? (service, line) => (reportOf(id).logs ??= []).push({ service: job.services.indexOf(service), line }) : () => undefined,
      timeoutMs: job.timeoutMs,
      ...(job.postCheckGraceMs !== undefined ? { postCheckGraceMs: job.postCheckGraceMs } : {}),
    };
    const control: { cancel?: (reason: unknown) => void } = {};
    const onPhase = (phase: Phase, resolvedType?: string) => {
      const report = reportOf(id);
      (report.phases ??= []).push(phase);
      if (resolvedType) report.resolvedType = resolvedType;
    };
    runLifecycle(input, onPhase, control).then(
      (outcome) => {
        cancels.delete(id);
        reportOf(id).outcome = outcome;
      },
      (err: unknown) => {
        // runLifecycle does not throw; this keeps the engine's check from waiting forever.
        cancels.delete(id);
        reportOf(id).outcome = endedWithError(job.services, `internal error: ${errorMessage(err)}`);
      },
    );
    if (control.cancel) cancels.set(id, control.cancel);
  };

  port.on('message', (message: ToThread) => {
    if (message.kind === 'jobs') {
      for (const job of message.jobs) {
        if (registry.has(job.type)) run(job);
        else reportOf(job.id).outcome = endedWithError(job.services, `check type '${job.type}' is not loaded in this check thread`);
      }
    } else {
      const error = reasonError(message.reason);
      for (const id of message.ids) cancels.get(id)?.(error);
    }
  });
  port.postMessage({ kind: 'ready', types: registry.list().map((t) => t.shortName), failures } satisfies FromThread);
}

if (!isMainThread && parentPort) {
  void serve(parentPort, workerData as CheckThreadData);
}
