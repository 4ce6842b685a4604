/**
 * `postgresql`: PostgreSQL login and one query, whose first column of the first row (in
 * PostgreSQL's text form, as psql prints it) is compared with `params.expect`. Each
 * failure names its step: connection, login, database, query or content.
 */
import { probePostgresql } from '../probes/postgresql.js';
import type { SqlProbeFailure, SqlProbeResult } from '../probes/sql-probe-result.js';
import { describeConnectError } from '../probes/tcp-session.js';
import { SqlQueryCheck, type SqlProbeOptions, type SqlWhere } from './support/sql-query-check.js';
import { oneLine } from './support/value.js';

/** PostgreSQL: login, database, one query with an expected first value. */
export class PostgresqlCheck extends SqlQueryCheck {
  readonly shortName = 'postgresql';
  override readonly description = 'PostgreSQL login and a query whose first value is compared with params.expect';
  override readonly defaultPort = 5432;
  override readonly displayName = 'PostgreSQL';
  protected override readonly defaultDatabase = 'postgres';

  protected probe(options: SqlProbeOptions): Promise<SqlProbeResult> {
    return probePostgresql({ ...options, database: options.database ?? this.defaultDatabase });
  }

  protected failureText(failure: SqlProbeFailure, where: SqlWhere): string {
    return postgresqlFailureText(failure, where);
  }
}

function postgresqlFailureText(failure: SqlProbeFailure, where: SqlWhere): string {
  const { target, username, database, seconds } = where;
  const timedOut = failure.code === 'TIMEOUT';
  switch (failure.step) {
    case 'connect':
      if (!failure.connected) {
        return timedOut ? `no answer from ${target} within ${seconds} s (TCP connect)` : describeConnectError({ name: 'Error', ...failure }, target);
      }
      if (timedOut) return `connected to ${target}; no answer to the PostgreSQL startup message within ${seconds} s`;
      if (failure.code === 'CLOSED') return `connected to ${target}; the server closed the connection before login finished`;
      return `connected to ${target}; PostgreSQL startup failed (${failure.code}: ${oneLine(failure.message)})`;
    case 'login':
      if (timedOut) return `connected to ${target}; login as ${username} not answered within ${seconds} s`;
      if (failure.code === '3D000') return `connected to ${target}; logged in as ${username}, but database '${database}' does not exist (3D000)`;
      if (failure.code.startsWith('28')) {
        // 28P01 is always a wrong password; 28000 (no role, pg_hba reject) has its reason in the text.
        const why = failure.code === '28P01' ? 'invalid password' : oneLine(failure.message);
        return `connected to ${target}; login as ${username} rejected (${failure.code} ${why})`;
      }
      return `connected to ${target}; the server refused the session (${failure.code} ${oneLine(failure.message)})`;
    case 'query':
      if (timedOut) return `connected to ${target}; logged in as ${username}; query not answered within ${seconds} s`;
      return `connected to ${target}; logged in as ${username}; query failed (${failure.code} ${oneLine(failure.message)})`;
  }
}
