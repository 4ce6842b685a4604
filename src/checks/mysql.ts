/**
 * `mysql`: MySQL/MariaDB login and one query, whose first column of the first row is
 * compared with `params.expect`. Each failure names its step: connection, login,
 * database, query or content.
 */
import { z } from 'zod';
import { probeMysql, type MysqlProbeResult } from '../probes/mysql.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { compareValue, connectFailureText, expectedValueSchema, oneLine, valueText, withoutSecret } from './database.js';
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
    /** Accepted so a `database` service can name this type explicitly; no effect here. */
    protocol: z.literal('mysql').optional(),
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
    const result = await probeMysql({
      host: service.host,
      port: portOf(service, DEFAULT_PORT),
      user: username,
      password,
      ...(params.database !== undefined ? { database: params.database } : {}),
      query: params.query ?? DEFAULT_QUERY,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
    let error: string | null;
    if (!result.ok) {
      error = failureText(result, { target, host: service.host, username, database: params.database });
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
  readonly host: string;
  readonly username: string;
  readonly database: string | undefined;
}

const DATABASE_CODES = new Set(['ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
// Server errors that mean "these credentials may not log in here".
const LOGIN_CODES = /ACCESS_DENIED|HOST_NOT_PRIVILEGED|PASSWORD|AUTH|LOCKED/;

function failureText(failure: Extract<MysqlProbeResult, { ok: false }>, where: Where): string {
  const { target, username } = where;
  switch (failure.step) {
    case 'connect':
      if (!failure.connected) return connectFailureText(target, where.host, failure);
      if (failure.code === 'PROTOCOL_CONNECTION_LOST') return `connected to ${target}; the server closed the connection before the MySQL handshake finished`;
      if (failure.code === 'ETIMEDOUT') return `connected to ${target}; no MySQL handshake within the timeout`;
      return `connected to ${target}; MySQL handshake failed (${failure.code}: ${oneLine(failure.message)})`;
    case 'login':
      if (DATABASE_CODES.has(failure.code)) {
        return `connected to ${target}; database '${where.database ?? ''}' is not available to ${username} (${failure.code})`;
      }
      if (LOGIN_CODES.test(failure.code)) return `connected to ${target}; login as ${username} rejected (${failure.code})`;
      return `connected to ${target}; the server refused the session (${failure.code}: ${oneLine(failure.message)})`;
    case 'query':
      return `connected to ${target}; logged in as ${username}; query failed (${failure.code}: ${oneLine(failure.message)})`;
  }
}
