/**
 * What the SQL probes (mysql, postgresql) resolve with: the first column of the first
 * row, or the step at which the probe stopped and why. The checks word each failure in
 * their protocol's terms (src/checks/support/sql-query-check.ts).
 */

/** The step at which an SQL probe stopped: TCP connect and greeting/startup, authentication, query. */
export type SqlStep = 'connect' | 'login' | 'query';

/** An SQL probe that stopped before the end, and where. */
export interface SqlProbeFailure {
  readonly ok: false;
  readonly step: SqlStep;
  /** Whether the TCP connection had been established. */
  readonly connected: boolean;
  /** Whether the server had sent anything (MySQL's greeting, PostgreSQL's answer to the startup message). */
  readonly answered: boolean;
  /**
   * The server's code (MySQL's error name ER_ACCESS_DENIED_ERROR, PostgreSQL's SQLSTATE
   * 28P01), Node's (ECONNREFUSED), the client library's, CLOSED or TIMEOUT.
   */
  readonly code: string;
  readonly message: string;
}

/** What an SQL probe saw: the first column of the first row, or the failed step. */
export type SqlProbeResult =
  | {
      readonly ok: true;
      /** Rows returned by the (last) statement; 0 for statements without a result set. */
      readonly rowCount: number;
      /**
       * First column of the first row (PostgreSQL's text form; mysql2's value, dates and big
       * numbers as strings); null for NULL, undefined when there is no row.
       */
      readonly value: unknown;
    }
  | SqlProbeFailure;
