/**
 * A check's `data`: what startCheck (team actor, with the database) hands to the hooks
 * that run in the check actor (resolveMulti … postCheck), which may be in a check thread.
 * It crosses threads as a structured clone, so the engine takes that clone in both cases:
 * a check sees the same `service.data` with and without check threads, and a value a
 * thread could not receive (a function, a socket) fails the check with a message naming
 * the cause, instead of going missing in a thread.
 */
import { errorMessage } from './errors.js';

/** The empty data of a check whose startCheck put nothing there (shared: it is frozen). */
export const NO_CHECK_DATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** Freezes `value` and everything in it, so hooks read `service.data` and cannot change it. */
export function freezeDeep<T>(value: T): T {
  // A typed array with elements cannot be frozen: it stays writable, like a Map's entries.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) freezeDeep((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * The data the check's hooks get: a frozen structured clone of what startCheck put in
 * `check.data`. Throws an Error whose message says why when it cannot be cloned.
 */
export function sealCheckData(data: unknown): Readonly<Record<string, unknown>> {
  if (data === undefined || data === null) return NO_CHECK_DATA;
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`check.data must be an object of values, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  if (Object.keys(data).length === 0) return NO_CHECK_DATA;
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(data) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`check.data holds a value that cannot be copied to the check's hooks (they may run in a check thread; keep to plain data: strings, numbers, arrays, plain objects, Maps, Dates): ${errorMessage(err)}`);
  }
  return freezeDeep(copy);
}
