/**
 * What the SQL checks (mysql, postgresql) share: log in, run one query, compare the first
 * column of the first row with `params.expect`. A subclass names its probe, its port and
 * how each failed step reads for a blue team.
 */
import { z } from 'zod';
import type { SqlProbeFailure, SqlProbeResult } from '../../probes/sql-probe-result.js';
import { startProbeDeadline, type ProbeDeadline } from '../../probes/tcp-deadline.js';
import { ServiceType } from '../../service-type.js';
import type { CheckContext, Service } from '../../types.js';
import { parseParams } from './params.js';
import { portOf, targetOf } from './target.js';
import { compareValue, expectedValueSchema, valueText, withoutSecret } from './value.js';

/** The query run when `params.query` is not set. */
export const DEFAULT_QUERY = 'SELECT 1';

/** `params` of an SQL check; `databaseDoc` says what `database` means for it. */
export function sqlQueryParamsSchema() {
  return z
    .object({
      /** SQL to run after login. Default `SELECT 1`. */
      query: z.string().min(1).optional(),
      /** Expected first column of the first row: a string (equality) or { contains, regex, sha256 }. */
      expect: expectedValueSchema.optional(),
      /** Database to use at login. */
      database: z.string().min(1).optional(),
    })
    .strict();
}

/** Parsed params of an SQL check. */
export type SqlQueryParams = z.infer<ReturnType<typeof sqlQueryParamsSchema>>;

/** What an SQL probe is asked to do. */
export interface SqlProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string | undefined;
  readonly query: string;
  readonly deadline: ProbeDeadline;
}

/** Where a check stood, for its failure messages. */
export interface SqlWhere {
  readonly target: string;
  readonly username: string;
  readonly database: string | undefined;
  /** The probe's time limit, for messages. */
  readonly seconds: string;
}

/** Base of the SQL checks; see the module comment. */
export abstract class SqlQueryCheck extends ServiceType {
  override readonly paramsSchema = sqlQueryParamsSchema();
  /** Port used when the service sets none. */
  abstract override readonly defaultPort: number;
  /** Product name in log lines and messages ("MySQL"). */
  abstract override readonly displayName: string;
  /** Database used when `params.database` is not set (undefined: the server's default). */
  protected readonly defaultDatabase: string | undefined = undefined;

  /** Logs in and runs the query; never throws for a failed step. */
  protected abstract probe(options: SqlProbeOptions): Promise<SqlProbeResult>;

  /** The blue team's sentence for a failed step. */
  protected abstract failureText(failure: SqlProbeFailure, where: SqlWhere): string;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params: SqlQueryParams = parseParams(this.paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const target = targetOf(service, this.defaultPort);
    const database = params.database ?? this.defaultDatabase;
    const deadline = startProbeDeadline(ctx);
    const result = await this.probe({
      host: service.host,
      port: portOf(service, this.defaultPort),
      user: username,
      password,
      database,
      query: params.query ?? DEFAULT_QUERY,
      deadline,
    }).finally(() => deadline.dispose());
    let error: string | null;
    if (!result.ok) {
      error = this.failureText(result, { target, username, database, seconds: deadline.seconds() });
    } else if (params.expect === undefined) {
      error = null;
    } else if (result.rowCount === 0) {
      error = `query returned no rows, expected ${typeof params.expect === 'string' ? `'${params.expect}'` : 'a value'}`;
    } else {
      error = compareValue('query returned', valueText(result.value), params.expect);
    }
    if (error !== null) error = withoutSecret(error, password);
    this.log(service, `login as ${username} and query`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
