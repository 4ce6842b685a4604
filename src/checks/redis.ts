/**
 * `redis`: connect, log in when the service has a password (ACL user and password, or
 * the password alone), optionally SELECT a database, run one command and compare its
 * reply. By default it sends PING and expects PONG.
 */
import { z } from 'zod';
import { probeRedis, type RedisProbeFailure } from '../probes/redis.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { describeConnectError } from '../probes/tcp-session.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { compareValue, expectedValueSchema, oneLine, valueText, withoutSecret } from './support/value.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const DEFAULT_PORT = 6379;

const paramsSchema = z
  .object({
    /** The command and its arguments, e.g. ["GET", "flag"]. Default ["PING"]. */
    command: z.array(z.string()).min(1).optional(),
    /** Expected reply: a string (equality) or { contains, regex, sha256 }. Default 'PONG' for the default command. */
    expect: expectedValueSchema.optional(),
    /** Database index to SELECT first. */
    database: z.number().int().min(0).optional(),
  })
  .strict();

/** Redis: optional AUTH (ACL user or password), one command with an expected reply. */
export class RedisCheck extends ServiceType {
  readonly shortName = 'redis';
  override readonly defaultPort = DEFAULT_PORT;
  override readonly displayName = 'Redis';
  override readonly description = 'Redis AUTH (password or ACL user) and a command whose reply is compared with params.expect';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const command = params.command ?? ['PING'];
    const expect = params.expect ?? (params.command ? undefined : 'PONG');
    // Credentials are optional: a Redis without AUTH is checked without logging in.
    const password = service.password;
    const username = password !== undefined && service.username ? service.username : undefined;
    const target = targetOf(service, DEFAULT_PORT);
    const deadline = startProbeDeadline(ctx);
    const result = await probeRedis({
      host: service.host,
      port: portOf(service, DEFAULT_PORT),
      ...(password !== undefined ? { password } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(params.database !== undefined ? { database: params.database } : {}),
      command,
      deadline,
    }).finally(() => deadline.dispose());
    const name = (command[0] ?? 'PING').toUpperCase();
    let error: string | null;
    if (!result.ok) {
      error = failureText(result, { target, seconds: deadline.seconds(), username, authenticated: password !== undefined, name, database: params.database });
    } else {
      error = expect === undefined ? null : compareValue(`${name} replied`, valueText(result.reply, '(nil)'), expect);
    }
    if (error !== null) error = withoutSecret(error, password);
    const as = password === undefined ? '' : ` as ${username ?? 'default'}`;
    this.log(service, `${name}${as}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

interface Where {
  readonly target: string;
  /** The probe's time limit, for messages. */
  readonly seconds: string;
  readonly username: string | undefined;
  readonly authenticated: boolean;
  /** Upper-case command name, e.g. PING. */
  readonly name: string;
  readonly database: number | undefined;
}

function failureText(failure: RedisProbeFailure, where: Where): string {
  const { target, name, seconds } = where;
  const detail = failure.code === 'WRONGPASS' ? failure.code : oneLine(failure.message);
  const timedOut = failure.code === 'TIMEOUT';
  switch (failure.step) {
    case 'connect':
      if (!failure.connected) {
        return timedOut ? `no answer from ${target} within ${seconds} s (TCP connect)` : describeConnectError({ name: 'Error', ...failure }, target);
      }
      if (timedOut) return `connected to ${target}; no answer within ${seconds} s`;
      if (failure.code === 'CLOSED') return `connected to ${target}; the server closed the connection during login`;
      return `connected to ${target}; Redis handshake failed (${oneLine(failure.message)})`;
    case 'login':
      if (timedOut) return `connected to ${target}; AUTH${where.username !== undefined ? ` as ${where.username}` : ''} not answered within ${seconds} s`;
      return where.username !== undefined
        ? `connected to ${target}; login as ${where.username} rejected (${detail})`
        : `connected to ${target}; AUTH rejected (${detail})`;
    case 'select':
      if (timedOut) return `connected to ${target}; SELECT ${where.database ?? ''} not answered within ${seconds} s`;
      return `connected to ${target}; SELECT ${where.database ?? ''} failed (${detail})`;
    case 'command': {
      if (failure.code === 'CLOSED') return `connected to ${target}; the server closed the connection before replying to ${name}`;
      if (timedOut) return `connected to ${target}; no reply to ${name} within ${seconds} s`;
      const who = where.authenticated ? `logged in as ${where.username ?? 'default'}; ` : '';
      return `connected to ${target}; ${who}${name} failed (${detail})`;
    }
  }
}
