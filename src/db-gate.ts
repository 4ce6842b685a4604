/**
 * Database gating. Only `startCheck` and `endCheck` receive a database handle, and the
 * handle they get works only while that hook runs, and never from code running on behalf
 * of a check actor. Anything else gets a DatabaseAccessError that says why.
 */
import { checkActorScope } from './check-session.js';
import { DatabaseAccessError } from './errors.js';

/** A database handle that can be closed when the hook it was lent to returns. */
export interface GatedHandle<T extends object> {
  readonly handle: T;
  /** After this, every use of `handle` throws DatabaseAccessError. */
  revoke(): void;
}

/**
 * Lends `db` to one hook call. The returned handle forwards to `db` until revoked, and
 * refuses any use from inside a check actor even before that.
 */
export function lendDatabase<T extends object>(db: T, typeName: string, hook: 'startCheck' | 'endCheck'): GatedHandle<T> {
  let open = true;
  const handle = new Proxy(db, {
    get(target, prop, receiver) {
      const inCheck = checkActorScope.getStore();
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
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    handle,
    revoke() {
      open = false;
    },
  };
}
