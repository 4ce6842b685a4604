/**
 * Calls a check's hooks one at a time, each marked in `runningCheckHook` (a database
 * handle touched meanwhile names it) and timed. A hook that answers synchronously (the
 * base hooks do) answers synchronously: no promise, no race, no timer. A promise is
 * raced against a deadline. No closure is made per call: a cold round compiles this
 * once instead of one copy per hook (docs/benchmarks.md, "Where the time goes now").
 */
import { runningCheckHook } from '../check-session.js';
import { CheckTimeoutError } from '../errors.js';
import type { ServiceType } from '../service-type.js';
import type { CheckContext, HookTimings, Service } from '../types.js';
import type { Deadline } from './deadline.js';

/** A hook's name as timed and named in messages (doMassCheck is timed as doCheck). */
export type HookName = keyof HookTimings;

/** The ServiceType methods the lifecycle calls. */
export type HookMethod = 'resolveMulti' | 'preCheck' | 'doCheck' | 'doMassCheck' | 'postCheck';

/** What a hook gets: its service (or every service of a mass check), and doCheck's context. */
export type HookArg = Service | readonly Service[];

/** Runs the hooks of one check and records their timings. */
export class HookRunner {
  /** What `runningCheckHook` names while a hook runs. */
  private readonly scope: { readonly serviceId: string; hook: HookName };
  readonly timings: HookTimings = {};

  constructor(serviceId: string) {
    this.scope = { serviceId, hook: 'resolveMulti' };
  }

  /**
   * Calls `type`'s hook `method` with `arg` (and `ctx`). A thenable answer is raced
   * against `guard`: a hook still running at the deadline fails with a
   * `CheckTimeoutError` naming it.
   */
  call(method: HookMethod, type: ServiceType, arg: HookArg, ctx: CheckContext | undefined, guard: Deadline): unknown {
    const name: HookName = method === 'doMassCheck' ? 'doCheck' : method;
    this.scope.hook = name;
    const t0 = performance.now();
    const outer = runningCheckHook.current;
    runningCheckHook.current = this.scope;
    let value: unknown;
    try {
      value = invoke(type, method, arg, ctx);
    } catch (err) {
      this.timed(name, t0);
      throw err;
    } finally {
      runningCheckHook.current = outer;
    }
    if (!isThenable(value)) {
      this.timed(name, t0);
      return value;
    }
    return guard.race(value).then(
      (result: unknown) => {
        this.timed(name, t0);
        return result;
      },
      (err: unknown) => {
        this.timed(name, t0);
        // Once the deadline (or a stop) fired, that is the failure, even when the
        // check's own rejection on abort settled first.
        if (!guard.fired) throw err;
        const reason = guard.reason;
        throw reason instanceof CheckTimeoutError ? new CheckTimeoutError(guard.timeoutMs / 1000, name) : reason;
      },
    );
  }

  private timed(name: HookName, t0: number): void {
    this.timings[name] = Math.round((performance.now() - t0) * 1000) / 1000;
  }
}

/** Calls one hook; the lifecycle passes each the argument it takes. */
function invoke(type: ServiceType, method: HookMethod, arg: HookArg, ctx: CheckContext | undefined): unknown {
  switch (method) {
    case 'resolveMulti':
      return type.resolveMulti(arg as Service);
    case 'preCheck':
      return type.preCheck(arg);
    case 'doCheck':
      return type.doCheck(arg as Service, ctx!);
    case 'doMassCheck':
      return type.doMassCheck(arg as readonly Service[], ctx!);
    case 'postCheck':
      return type.postCheck(arg);
  }
}

/** Whether a hook answered with a promise (or another thenable). */
export function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
