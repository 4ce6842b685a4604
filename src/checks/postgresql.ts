/**
 * `postgresql`: PostgreSQL login and one query, whose first column of the first row (in
 * PostgreSQL's text form, as psql prints it) is compared with `params.expect`. Each
 * failure names its step: connection, login, database, query or content.
 */
import { z } from 'zod';
import { probePostgresql, type PostgresqlProbeFailure } from '../probes/postgresql.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { describeConnectError } from '../probes/tcp-session.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { compareValue, expectedValueSchema, oneLine, valueText, withoutSecret } from './database.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const DEFAULT_PORT = 5432;
const DEFAULT_QUERY = 'SELECT 1';
const DEFAULT_DATABASE = 'postgres';

const paramsSchema = z
  .object({
    /** SQL to run after login. Default `SELECT 1`. */
    query: z.string().min(1).optional(),
    /** Expected first column of the first row: a string (equality) or { contains, regex, sha256 }. */
    expect: expectedValueSchema.optional(),
    /** Database to connect to. Default `postgres`. */
    database: z.string().min(1).optional(),
  })
  .strict();

/** PostgreSQL: login, database, one query with an expected first value. */
export class PostgresqlCheck extends ServiceType {
  readonly shortName = 'postgresql';
  override readonly description = 'PostgreSQL login and a query whose first value is compared with params.expect';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const target = targetOf(service, DEFAULT_PORT);
    const database = params.database ?? DEFAULT_DATABASE;
    const deadline = startProbeDeadline(ctx);
    const result = await probePostgresql({
      host: service.host,
      port: portOf(service, DEFAULT_PORT),
      user: username,
      password,
      database,
      query: params.query ?? DEFAULT_QUERY,
      deadline,
    }).finally(() => deadline.dispose());
    let error: string | null;
    if (!result.ok) {
      error = failureText(result, { target, username, database, seconds: deadline.seconds() });
    } else if (params.expect === undefined) {
      error = null;
    } else if (result.rowCount === 0) {
      error = `query returned no rows, expected ${typeof params.expect === 'string' ? `'${params.expect}'` : 'a value'}`;
    } else {
      error = compareValue('query returned', valueText(result.value), params.expect);
    }
    if (error !== null) error = withoutSecret(error, password);
    this.log(service, `PostgreSQL login to ${target} as ${username} and query`, error === null);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

interface Where {
  readonly target: string;
  readonly username: string;
  readonly database: string;
  /** The probe's time limit, for messages. */
  readonly seconds: string;
}

function failureText(failure: PostgresqlProbeFailure, where: Where): string {
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
