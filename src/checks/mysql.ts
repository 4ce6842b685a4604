/**
 * `mysql`: MySQL/MariaDB login and one query, whose first column of the first row is
 * compared with `params.expect`. Each failure names its step: connection, greeting,
 * login, database, query or content.
 */
import { probeMysql } from '../probes/mysql.js';
import type { SqlProbeFailure, SqlProbeResult } from '../probes/sql-probe-result.js';
import { describeConnectError } from '../probes/tcp-session.js';
import { SqlQueryCheck, type SqlProbeOptions, type SqlWhere } from './support/sql-query-check.js';
import { oneLine } from './support/value.js';

/** MySQL: login, database, one query with an expected first value. */
export class MysqlCheck extends SqlQueryCheck {
  readonly shortName = 'mysql';
  override readonly description = 'MySQL/MariaDB login and a query whose first value is compared with params.expect';
  override readonly defaultPort = 3306;
  override readonly displayName = 'MySQL';

  protected probe(options: SqlProbeOptions): Promise<SqlProbeResult> {
    return probeMysql({ ...options });
  }

  protected failureText(failure: SqlProbeFailure, where: SqlWhere): string {
    return mysqlFailureText(failure, where);
  }
}

const DATABASE_CODES = new Set(['ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
// Server errors that mean "these credentials may not log in here".
const LOGIN_CODES = /ACCESS_DENIED|HOST_NOT_PRIVILEGED|PASSWORD|AUTH|LOCKED/;

function mysqlFailureText(failure: SqlProbeFailure, where: SqlWhere): string {
  const { target, username, seconds } = where;
  const timedOut = failure.code === 'TIMEOUT';
  switch (failure.step) {
    case 'connect':
      if (!failure.connected) {
        return timedOut ? `no answer from ${target} within ${seconds} s (TCP connect)` : describeConnectError({ name: 'Error', ...failure }, target);
      }
      if (timedOut) return `connected to ${target}; no MySQL greeting within ${seconds} s`;
      if (failure.code === 'PROTOCOL_CONNECTION_LOST') return `connected to ${target}; the server closed the connection before the MySQL handshake finished`;
      return `connected to ${target}; MySQL handshake failed (${failure.code}: ${oneLine(failure.message)})`;
    case 'login':
      if (timedOut) return `connected to ${target}; login as ${username} not answered within ${seconds} s`;
      if (DATABASE_CODES.has(failure.code)) {
        return `connected to ${target}; database '${where.database ?? ''}' is not available to ${username} (${failure.code})`;
      }
      if (LOGIN_CODES.test(failure.code)) return `connected to ${target}; login as ${username} rejected (${failure.code})`;
      return `connected to ${target}; the server refused the session (${failure.code}: ${oneLine(failure.message)})`;
    case 'query':
      if (timedOut) return `connected to ${target}; logged in as ${username}; query not answered within ${seconds} s`;
      return `connected to ${target}; logged in as ${username}; query failed (${failure.code}: ${oneLine(failure.message)})`;
  }
}
