/**
 * The server's refusals at login, told apart from an unreachable server: a wrong
 * password or an unknown database will not get better with retries, and the raw
 * messages do not say where to fix them (DATABASE_URL).
 */

/** SQLSTATE of a refused login, and what to do about each. */
const REFUSALS: Record<string, string> = {
  '28P01': 'check the password in DATABASE_URL',
  '28000': "check the user in DATABASE_URL and the server's pg_hba.conf",
  '3D000': 'check the database name in DATABASE_URL, or create it with createdb',
};

/** One line for a refused login (wrong password, unknown user or database) found in `err`'s cause chain; undefined for anything else. */
export function loginFailureMessage(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current !== null && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && code in REFUSALS) {
      return `the PostgreSQL server refused the login: ${typeof message === 'string' ? message : code} (${REFUSALS[code]})`;
    }
    current = cause;
  }
  return undefined;
}
