/**
 * `mysql`: MySQL/MariaDB login and one query, whose first column of the first row is
 * compared with `params.expect`. Each failure names its step: connection, greeting,
 * login, database, query or content.
 */
import { z } from 'zod';
import { probeMysql, type MysqlProbeFailure } from '../probes/mysql.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { describeConnectError } from '../probes/tcp-session.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { compareValue, expectedValueSchema, oneLine, valueText, withoutSecret } from './database.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const DEFAULT_PORT = 3306;
const DEFAULT_QUERY = 'SELECT 1';

const paramsSchema = z
  .object({
    /** SQL to run after login. Default `SELECT 1`. */
    query: z.string().min(1).optional(),
    /** Expected first column of the first row: a string (equality) or { contains, regex, sha256 }. */
    expect: expectedValueSchema.optional(),
    /** Database to select at login. */
    database: z.string().min(1).optional(),
  })
  .strict();

/** MySQL/MariaDB: login, optional database, one query with an expected first value. */
export class MysqlCheck extends ServiceType {
  readonly shortName = 'mysql';
  override readonly description = 'MySQL/MariaDB login and a query whose first value is compared with params.expect';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const target = targetOf(service, DEFAULT_PORT);
    const deadline = startProbeDeadline(ctx);
    const result = await probeMysql({
      host: service.host,
      port: portOf(service, DEFAULT_PORT),
      user: username,
      password,
      ...(params.database !== undefined ? { database: params.database } : {}),
      query: params.query ?? DEFAULT_QUERY,
      deadline,
    }).finally(() => deadline.dispose());
    let error: string | null;
    if (!result.ok) {
      error = failureText(result, { target, username, database: params.database, seconds: deadline.seconds() });
    } else if (params.expect === undefined) {
      error = null;
    } else if (result.rowCount === 0) {
      error = `query returned no rows, expected ${typeof params.expect === 'string' ? `'${params.expect}'` : 'a value'}`;
    } else {
      error = compareValue('query returned', valueText(result.value), params.expect);
    }
    if (error !== null) error = withoutSecret(error, password);
    this.log(service, `MySQL login to ${target} as ${username} and query`, error === null);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

interface Where {
  readonly target: string;
  readonly username: string;
  readonly database: string | undefined;
  /** The probe's time limit, for messages. */
  readonly seconds: string;
}

const DATABASE_CODES = new Set(['ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
// Server errors that mean "these credentials may not log in here".
const LOGIN_CODES = /ACCESS_DENIED|HOST_NOT_PRIVILEGED|PASSWORD|AUTH|LOCKED/;

function failureText(failure: MysqlProbeFailure, where: Where): string {
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
