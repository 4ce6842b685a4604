/**
 * The work of a check actor: the hooks from resolveMulti to postCheck, in order, under
 * one deadline, reporting each phase as it starts. `control.cancel` aborts the check
 * (its actor was stopped). Each hook call is marked in `runningCheckHook`, and a
 * database handle refuses any use from here (see db-gate.ts). Never throws:
 * every failure becomes part of the outcome.
 */
import { CheckSession, bindSession, runningCheckHook, type CheckLogSink } from '../check-session.js';
import { CheckTimeoutError, UnknownServiceTypeError } from '../errors.js';
import { scrubSecrets, secretsOf } from '../logger.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import type { HookTimings, Service } from '../types.js';
import { startDeadline, type Deadline } from './deadline.js';
import { decideOutcome, type Decided } from './outcome.js';

/** The lifecycle phases a check actor reports, in order. */
export type Phase = 'resolving' | 'preCheck' | 'checking' | 'postCheck';

/** What a check worker needs; plain data plus the type objects, no database. */
export interface LifecycleInput {
  /** One service (standard/multi) or every team's service (mass). */
  readonly services: readonly Service[];
  readonly type: ServiceType;
  readonly registry: ServiceRegistry;
  readonly logSink: CheckLogSink;
  /** Deadline of the whole check, milliseconds. */
  readonly timeoutMs: number;
  /** Time postCheck gets, from when it starts. Default min(1,000 ms, timeoutMs). */
  readonly postCheckGraceMs?: number;
  /** Aborts the check when the scan is stopped. */
  readonly signal?: AbortSignal;
  /** Told as each phase starts (the engine's events$ stream). */
  readonly onPhase?: (services: readonly Service[], phase: Phase) => void;
}

/** The outcome for one service of the check. */
export interface ServiceOutcome extends Decided {
  readonly serviceId: string;
}

/** Everything the check actor reports when it ends. */
export interface LifecycleOutcome {
  readonly resolvedType: string | undefined;
  readonly outcomes: readonly ServiceOutcome[];
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
}

/**
 * Runs the lifecycle, calling `onPhase` as each phase starts. Mass types get the whole
 * list in preCheck/doMassCheck/postCheck; the others get their single service.
 */
export async function runLifecycle(
  input: LifecycleInput,
  onPhase: (phase: Phase, resolvedType?: string) => void,
  control: { cancel?: (reason: unknown) => void } = {},
): Promise<LifecycleOutcome> {
  const { services, registry, logSink } = input;
  const first = services[0];
  if (!first) throw new Error('runLifecycle needs at least one service');
  // Built with push, not services.map(): a service list cloned from the engine's thread
  // has another array shape, and V8 threw away runLifecycle's compiled code (~30 ms of
  // compiling, twice per cold round) when the two shapes met at `sessions.map` below.
  const sessions: CheckSession[] = [];
  for (const s of services) {
    const session = new CheckSession(s, logSink);
    bindSession(s, session);
    sessions.push(session);
  }
  const deadline = startDeadline(input.timeoutMs, input.signal);
  control.cancel = (reason) => deadline.abort(reason);
  const timings: HookTimings = {};
  const warnings: string[] = [];
  const scope = { serviceId: first.id, hook: 'resolveMulti' };
  let failure: { phase: string; error: unknown } | undefined;
  let resolvedType: string | undefined;

  /**
   * Runs one hook, marked as the running check hook. A hook that returns synchronously (the
   * base hooks do) answers synchronously: no promise, no race, no timer. A promise is
   * raced against the deadline, created on first need for postCheck's own budget.
   */
  const hook = <T>(name: keyof HookTimings, fn: () => T | Promise<T>, guard: () => Deadline): T | Promise<T> => {
    scope.hook = name;
    const t0 = performance.now();
    const timed = () => {
      timings[name] = Math.round((performance.now() - t0) * 1000) / 1000;
    };
    const outer = runningCheckHook.current;
    runningCheckHook.current = scope;
    let value: T | Promise<T>;
    try {
      value = fn();
    } catch (err) {
      timed();
      throw err;
    } finally {
      runningCheckHook.current = outer;
    }
    if (!isThenable(value)) {
      timed();
      return value;
    }
    return raceHook(name, value, guard(), timed);
  };
  const main = () => deadline;

  try {
    onPhase('resolving');
    let type = input.type;
    try {
      let answer: unknown = hook('resolveMulti', () => type.resolveMulti(first), main);
      if (isThenable(answer)) answer = await answer;
      type = resolveType(type, answer, registry);
      resolvedType = type.shortName;
    } catch (err) {
      failure = { phase: 'resolveMulti', error: err };
    }

    if (!failure) {
      const mass = type.kind === 'mass';
      // A resolved type gets the service without its multi type's resolution params.
      const single = type !== input.type && !mass ? withoutParams(first, input.type.resolutionParams, sessions[0]!) : first;
      const arg = mass ? services : single;
      onPhase('preCheck', resolvedType);
      try {
        const pre = hook('preCheck', () => type.preCheck(arg), main);
        if (isThenable(pre)) await pre;
        onPhase('checking', resolvedType);
        // The signal is made when the check first reads it (see deadline.ts).
        const ctx = {
          get signal() {
            return deadline.signal;
          },
          deadline: deadline.at,
          timeoutMs: input.timeoutMs,
        };
        const checked = hook('doCheck', () => (mass ? type.doMassCheck(services, ctx) : type.doCheck(single, ctx)), main);
        if (isThenable(checked)) await checked;
      } catch (err) {
        failure = { phase: scope.hook === 'doCheck' ? (mass ? 'doMassCheck' : 'doCheck') : scope.hook, error: err };
      }

      onPhase('postCheck', resolvedType);
      // postCheck has a budget of its own, so cleanup runs even after a timeout.
      const graceMs = input.postCheckGraceMs ?? Math.min(1000, input.timeoutMs);
      let grace: Deadline | undefined;
      try {
        const post = hook('postCheck', () => type.postCheck(arg), () => (grace = startDeadline(graceMs, input.signal)));
        if (isThenable(post)) await post;
      } catch (err) {
        warnings.push(`postCheck: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        grace?.dispose();
      }
    }
  } finally {
    deadline.dispose();
  }

  // A check's text often quotes the service's answer, and a hostile service can echo the
  // credentials it was sent: no secret of the check's services leaves in its error.
  // The secrets are gathered only when there is text to clean (most checks have none).
  let secrets: string[] | undefined;
  const clean = (text: string) => {
    if (!secrets) {
      const secretParams = [...input.type.secretParams, ...(resolvedType && registry.has(resolvedType) ? registry.get(resolvedType).secretParams : [])];
      secrets = services.flatMap((s) => secretsOf(s, secretParams));
    }
    return scrubSecrets(text, secrets);
  };
  return {
    resolvedType,
    outcomes: sessions.map((session) => {
      const decided = decideOutcome(failure ? { session, failure } : { session });
      return { serviceId: session.service.id, score: decided.score, error: decided.error === null ? null : clean(decided.error), timedOut: decided.timedOut };
    }),
    warnings: warnings.length === 0 ? warnings : warnings.map(clean),
    timings,
  };
}

/** The outcome of a check that ended without running to the end: `error` for every service. */
export function endedWithError(services: readonly Service[], error: string, timedOut = false): LifecycleOutcome {
  return { resolvedType: undefined, outcomes: services.map((s) => ({ serviceId: s.id, score: 0, error, timedOut })), warnings: [], timings: {} };
}

/**
 * Settles with a hook's promise, or rejects once the deadline (or a stop) fired: that is
 * then the failure, even when the check's own rejection on abort settled first.
 */
async function raceHook<T>(name: keyof HookTimings, value: Promise<T>, active: Deadline, timed: () => void): Promise<T> {
  try {
    return await active.race(Promise.resolve(value));
  } catch (err) {
    if (!active.signal.aborted) throw err;
    const reason: unknown = active.signal.reason;
    throw reason instanceof CheckTimeoutError ? new CheckTimeoutError(active.timeoutMs / 1000, name) : reason;
  } finally {
    timed();
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** A copy of `service` without `names` in its params, bound to the same session. */
function withoutParams(service: Service, names: readonly string[], session: CheckSession): Service {
  if (names.length === 0 || !names.some((n) => n in service.params)) return service;
  const params = Object.fromEntries(Object.entries(service.params).filter(([k]) => !names.includes(k)));
  const copy: Service = { ...service, params };
  bindSession(copy, session);
  return copy;
}

/**
 * Multi-protocol resolution as documented: "self" keeps the type; another short name is
 * looked up; a multi type that names another multi type is used as if it were standard.
 */
export function resolveType(type: ServiceType, answer: unknown, registry: ServiceRegistry): ServiceType {
  if (answer === 'self') return type;
  if (typeof answer !== 'string' || answer === '') {
    throw new UnknownServiceTypeError(String(answer), `resolveMulti() of '${type.shortName}' must return "self" or a short name`);
  }
  if (!registry.has(answer)) {
    throw new UnknownServiceTypeError(answer, `named by resolveMulti() of '${type.shortName}'`);
  }
  return registry.get(answer);
}
