/**
 * Database gating. Only `startCheck` and `endCheck` receive a database handle, and the
 * handle they get works only inside that one call (its own code and what it awaits),
 * only until it returns, and never from a check hook. Anything else gets a
 * DatabaseAccessError that says why.
 *
 * The "inside that call" rule is an AsyncLocalStorage around the call, and it is set up
 * only for types that override startCheck/endCheck: the base hooks are ours and get the
 * database directly. On Node 20 an active AsyncLocalStorage puts a hook on every promise
 * of the process (docs/benchmarks.md, "Where the time goes now"). A check hook that touches a handle synchronously is named in
 * the error (`runningCheckHook`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { runningCheckHook } from '../check-session.js';
import { DatabaseAccessError } from '../errors.js';
import { ServiceType } from '../service-type.js';
import type { CheckDb, CheckRecord } from '../types.js';

/** A database handle that can be closed when the hook it was lent to returns. */
export interface GatedHandle<T extends object> {
  readonly handle: T;
  /** Runs `fn` as the call the handle is lent to: only code inside it may use the handle. */
  run<R>(fn: () => R): R;
  /** After this, every use of `handle` throws DatabaseAccessError. */
  revoke(): void;
}

/** Which lending the running code belongs to. */
const lending = new AsyncLocalStorage<object>();

/**
 * Lends `db` to one hook call. The returned handle forwards to `db` while open, from
 * code running inside `run`, and refuses any use from a check hook.
 */
export function lendDatabase<T extends object>(db: T, typeName: string, hook: 'startCheck' | 'endCheck'): GatedHandle<T> {
  let open = true;
  const token = {};
  const handle = new Proxy(db, {
    get(target, prop, receiver) {
      const inCheck = runningCheckHook.current;
      if (inCheck) {
        throw new DatabaseAccessError(
          `${inCheck.hook}() of ${inCheck.serviceId} tried to use the database; only startCheck and endCheck, run by the team actor, may use it`,
        );
      }
      if (!open) {
        throw new DatabaseAccessError(
          `the database handle lent to ${typeName}.${hook}() was used after that hook returned; keep database work inside startCheck/endCheck`,
        );
      }
      if (lending.getStore() !== token) {
        throw new DatabaseAccessError(
          `the database handle lent to ${typeName}.${hook}() was used by code outside that call (a check actor, or another hook); only startCheck and endCheck, run by the team actor, may use it`,
        );
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    handle,
    run: (fn) => lending.run(token, fn),
    revoke() {
      open = false;
    },
  };
}

/**
 * Calls `type`'s startCheck or endCheck for one check with `db` lent for that call only.
 * A type that keeps the base hook gets `db` directly (the base hook only marks the
 * check) and answers synchronously: undefined rather than a promise.
 */
export function callWithDatabase(type: ServiceType, hook: 'startCheck' | 'endCheck', record: CheckRecord, db: CheckDb): Promise<void> | undefined {
  if (!overrides(type, hook)) {
    void type[hook](record, db);
    return undefined;
  }
  const gate = lendDatabase<CheckDb>(db, type.shortName, hook);
  let answer: void | Promise<void>;
  try {
    answer = gate.run(() => type[hook](record, gate.handle));
  } catch (err) {
    gate.revoke();
    throw err;
  }
  return Promise.resolve(answer).finally(() => gate.revoke());
}

/** Whether `type` has its own `hook` rather than ServiceType's. */
function overrides(type: ServiceType, hook: 'startCheck' | 'endCheck'): boolean {
  const methods = (o: object) => o as Record<typeof hook, unknown>;
  return methods(type)[hook] !== methods(ServiceType.prototype)[hook];
}
