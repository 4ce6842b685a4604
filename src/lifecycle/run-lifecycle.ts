/**
 * Runs the work of a check actor: the hooks from resolveMulti to postCheck, in order,
 * under one deadline, reporting each phase as it starts. Never throws: every failure
 * becomes part of the outcome. Each hook call is marked in `runningCheckHook`, so a
 * database handle refuses any use from here (team-database/db-gate.ts).
 *
 * `runLifecycle` awaits `LifecycleRun`'s steps in one loop: one await site rather than
 * one per hook keeps the code V8 compiles for a cold round small
 * (docs/benchmarks.md, "Where the time goes now").
 */
import { CheckSession, bindSession, type CheckLogSink } from '../check-session.js';
import { UnknownServiceTypeError } from '../errors.js';
import { scrubSecrets, secretsOf } from '../logger.js';
import type { ServiceRegistry } from '../registry.js';
import { loopStalls } from '../scheduling/loop-stalls.js';
import { suspectStall, VERDICT_WINDOW_MS } from '../scheduling/overload.js';
import type { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { ON_DEADLINE, startDeadline, type Deadline, type DeadlineLink } from './deadline.js';
import { HookRunner, isThenable, type HookArg, type HookMethod } from './hook-runner.js';
import { decideOutcome, type LifecycleOutcome, type ServiceOutcome } from './outcome.js';
import { PHASES, type Phase } from './states.js';

/** What a check's hooks need; plain data plus the type objects, no database. */
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

/**
 * Runs the lifecycle, calling `onPhase` as each phase starts. Mass types get the whole
 * list in preCheck/doMassCheck/postCheck; the others get their single service.
 * `control.cancel` aborts the check (its actor was stopped).
 */
export async function runLifecycle(
  input: LifecycleInput,
  onPhase: (phase: Phase, resolvedType?: string) => void,
  control: { cancel?: (reason: unknown) => void } = {},
): Promise<LifecycleOutcome> {
  const run = new LifecycleRun(input, onPhase);
  control.cancel = (reason) => run.deadline.abort(reason);
  try {
    for (const phase of PHASES) {
      const waiting = run.step(phase);
      if (waiting) await waiting;
    }
  } finally {
    run.deadline.dispose();
  }
  return run.outcome();
}

/** A hook failure that ends the check. */
interface Failure {
  readonly phase: string;
  readonly error: unknown;
}

/**
 * One check's lifecycle: its state, and its four phases as steps. Each step runs its
 * hook and returns a promise only when the hook did; a step never throws or rejects: a
 * failure is recorded (it ends the check, or is a postCheck warning).
 */
export class LifecycleRun {
  readonly deadline: Deadline;
  private readonly sessions: CheckSession[] = [];
  private readonly hooks: HookRunner;
  private readonly warnings: string[] = [];
  private failure: Failure | undefined;
  /** The type that checks the service: set once resolveMulti answered. */
  private type: ServiceType | undefined;
  /** What preCheck and postCheck get: the service, or every service of a mass check. */
  private arg: Service | readonly Service[];
  /** What doCheck gets (a resolved type's service lacks the multi type's params). */
  private single: Service;
  /** When the run started (performance.now()), to ask the stall tracker about its time. */
  private readonly startedAt = performance.now();

  constructor(
    private readonly input: LifecycleInput,
    private readonly onPhase: (phase: Phase, resolvedType?: string) => void,
  ) {
    const first = input.services[0];
    if (!first) throw new Error('runLifecycle needs at least one service');
    // Built with push, not services.map(): a service list cloned from the engine's
    // thread has another array shape, and the two shapes meeting at a map made V8
    // throw away the compiled lifecycle (docs/benchmarks.md, "Where the time goes now").
    for (const s of input.services) {
      const session = new CheckSession(s, input.logSink);
      bindSession(s, session);
      this.sessions.push(session);
    }
    this.deadline = startDeadline(input.timeoutMs, input.signal);
    this.hooks = new HookRunner(first.id);
    this.single = first;
    this.arg = first;
  }

  /** Runs phase `phase`; a promise means it waits for its hook. */
  step(phase: Phase): Promise<void> | undefined {
    switch (phase) {
      case 'resolving':
        return this.resolve();
      case 'preCheck':
        return this.preCheck();
      case 'checking':
        return this.check();
      case 'postCheck':
        return this.postCheck();
    }
  }

  /** The outcome of every service (secrets scrubbed from any text). */
  outcome(): LifecycleOutcome {
    const { failure, warnings, input } = this;
    const resolvedType = this.type?.shortName;
    // A check's text often quotes the service's answer, and a hostile service can echo
    // the credentials it was sent: no secret of the check's services leaves in its
    // error. They are gathered only when there is text to clean (most checks have none).
    let secrets: string[] | undefined;
    const clean = (text: string) => {
      if (!secrets) {
        const secretParams = [...input.type.secretParams, ...(this.type?.secretParams ?? [])];
        secrets = input.services.flatMap((s) => secretsOf(s, secretParams));
      }
      return scrubSecrets(text, secrets);
    };
    const outcomes: ServiceOutcome[] = [];
    for (const session of this.sessions) {
      const decided = decideOutcome(failure ? { session, failure } : { session });
      outcomes.push({ serviceId: session.service.id, score: decided.score, error: decided.error === null ? null : clean(decided.error), timedOut: decided.timedOut });
    }
    // Only a failure can be the scanner's fault (overload.ts): a check that passed asks nothing.
    const stalledMs = outcomes.some((o) => o.error !== null) ? this.suspectStall() : 0;
    return { resolvedType, outcomes, warnings: warnings.length === 0 ? warnings : warnings.map(clean), timings: this.hooks.timings, ...(stalledMs > 0 ? { stalledMs } : {}) };
  }

  /** The stall of this thread that makes a failure of this run suspect, ms (overload.ts). */
  private suspectStall(): number {
    const recentFrom = Math.max(this.startedAt, performance.now() - VERDICT_WINDOW_MS);
    return suspectStall(loopStalls.worstSince(recentFrom), loopStalls.worstSince(this.startedAt), this.input.timeoutMs);
  }

  private resolve(): Promise<void> | undefined {
    this.onPhase('resolving');
    const { type } = this.input;
    let answer: unknown;
    try {
      answer = this.hooks.call('resolveMulti', type, this.single, undefined, this.deadline);
    } catch (err) {
      this.failed('resolveMulti', err);
      return undefined;
    }
    if (isThenable(answer)) {
      return answer.then(
        (value) => this.resolved(value),
        (err: unknown) => this.failed('resolveMulti', err),
      );
    }
    this.resolved(answer);
    return undefined;
  }

  private resolved(answer: unknown): void {
    const { input } = this;
    try {
      const type = resolveType(input.type, answer, input.registry);
      this.type = type;
      if (type.kind === 'mass') {
        this.arg = input.services;
      } else if (type !== input.type) {
        // A resolved type gets the service without its multi type's resolution params.
        this.single = withoutParams(this.single, input.type.resolutionParams, this.sessions[0]!);
        this.arg = this.single;
      }
    } catch (err) {
      this.failed('resolveMulti', err);
    }
  }

  private preCheck(): Promise<void> | undefined {
    const { type } = this;
    if (!type || this.failure) return undefined;
    this.onPhase('preCheck', type.shortName);
    return this.attempt('preCheck', type, this.arg, undefined, this.deadline);
  }

  private check(): Promise<void> | undefined {
    const { type } = this;
    if (!type || this.failure) return undefined;
    this.onPhase('checking', type.shortName);
    const ctx = new LazyCheckContext(this.deadline, this.input.timeoutMs);
    if (type.kind === 'mass') return this.attempt('doMassCheck', type, this.input.services, ctx, this.deadline);
    return this.attempt('doCheck', type, this.single, ctx, this.deadline);
  }

  /** postCheck runs even after preCheck or doCheck failed, with a budget of its own. */
  private postCheck(): Promise<void> | undefined {
    const { type, input } = this;
    if (!type) return undefined;
    this.onPhase('postCheck', type.shortName);
    const grace = startDeadline(input.postCheckGraceMs ?? Math.min(1000, input.timeoutMs), input.signal);
    const waiting = this.attempt('postCheck', type, this.arg, undefined, grace);
    if (!waiting) {
      grace.dispose();
      return undefined;
    }
    return waiting.then(() => grace.dispose());
  }

  /** Calls a hook whose answer is not used; its failure is recorded by `failed`. */
  private attempt(method: HookMethod, type: ServiceType, arg: HookArg, ctx: CheckContext | undefined, guard: Deadline): Promise<void> | undefined {
    let value: unknown;
    try {
      value = this.hooks.call(method, type, arg, ctx, guard);
    } catch (err) {
      this.failed(method, err);
      return undefined;
    }
    if (!isThenable(value)) return undefined;
    return value.then(
      () => undefined,
      (err: unknown) => this.failed(method, err),
    );
  }

  /** Records a hook's failure: it ends the check, except postCheck's (a warning). */
  private failed(method: HookMethod, err: unknown): void {
    if (method === 'postCheck') {
      this.warnings.push(`postCheck: ${err instanceof Error ? err.message : String(err)}`);
    } else {
      this.failure = { phase: method, error: err };
    }
  }
}

/**
 * The context doCheck gets. Its signal is made when the check first reads it, and a
 * probe links to its deadline without it (see deadline.ts); a class, so the getter
 * is not a closure per check.
 */
class LazyCheckContext implements CheckContext, DeadlineLink {
  readonly deadline: number;

  constructor(
    private readonly checkDeadline: Deadline,
    readonly timeoutMs: number,
  ) {
    this.deadline = checkDeadline.at;
  }

  get signal(): AbortSignal {
    return this.checkDeadline.signal;
  }

  [ON_DEADLINE](listener: (reason: unknown) => void): () => void {
    return this.checkDeadline.onAbort(listener);
  }
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
