/**
 * Which store failures are worth retrying: the database could not be reached or dropped
 * the connection (the write may or may not have happened), never a rejected statement.
 */

/** SQLSTATE codes retried besides class 08 (connection exception). */
const RETRIED_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '53300', // too_many_connections
  '40001', // serialization_failure: the transaction was rolled back
  '40P01', // deadlock_detected: the transaction was rolled back
]);

/** Socket-level errno codes of an unreachable or dropped server. */
const RETRIED_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN']);

/** Messages pg and pg-promise give a lost connection (they carry no code). */
const LOST_CONNECTION = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|released or lost connection|terminating connection|server closed the connection|Connection ended/i;

/** Errors the resilient store made itself for an attempt that did not answer in time. */
const unanswered = new WeakSet<object>();

/** Marks `err` as "the database did not answer": retried like a lost connection. */
export function markUnanswered<E extends object>(err: E): E {
  unanswered.add(err);
  return err;
}

/**
 * Whether `err` (or an error in its `cause` chain) says the database was unreachable
 * or lost the connection. A constraint violation, a syntax error or any other answer
 * from the server is not transient.
 */
export function isTransientStoreError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current !== null && typeof current === 'object'; depth++) {
    if (unanswered.has(current)) return true;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (RETRIED_ERRNOS.has(code)) return true;
      // Any other SQLSTATE: the server answered with an error, not a connection problem.
      if (/^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || RETRIED_SQLSTATES.has(code);
    }
    if (typeof message === 'string' && LOST_CONNECTION.test(message) && cause === undefined) return true;
    current = cause;
  }
  return false;
}

/** Whether `err` (or its cause chain) is a unique violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current !== null && typeof current === 'object'; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
