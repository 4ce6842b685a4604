/** The built-in `ssh` check. */
import { z } from 'zod';
import { probeSsh } from '../probes/ssh.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Command run after login; its exit status must be 0. */
    command: z.string().min(1).optional(),
    /** What the command's output (stdout then stderr) must contain. */
    expect: contentExpectationSchema.optional(),
    /** Private key (OpenSSH or PEM text) to log in with; secret. */
    privateKey: z.string().min(1).optional(),
    /** Passphrase of the private key; secret. */
    passphrase: z.string().optional(),
  })
  .strict()
  .refine((p) => !p.expect || p.command, { message: 'expect needs a command', path: ['expect'] });

/**
 * SSH: logs in with a password or a private key (`params.privateKey`), optionally runs
 * a command that must exit 0 and whose output must match `params.expect`.
 */
export class SshCheck extends ServiceType {
  readonly shortName = 'ssh';
  override readonly defaultPort = 22;
  override readonly description = 'SSH login (password or key), optional command with expected output';
  override readonly paramsSchema = paramsSchema;
  override readonly secretParams = ['privateKey', 'passphrase'] as const;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = params.privateKey !== undefined ? keyCredentials(this, service) : this.getCredentials(service);
    const target = targetOf(service, 22);
    const deadline = startProbeDeadline(ctx);
    const result = await probeSsh({
      host: service.host,
      port: portOf(service, 22),
      target,
      username,
      ...(password !== undefined ? { password } : {}),
      ...(params.privateKey !== undefined ? { privateKey: params.privateKey } : {}),
      ...(params.passphrase !== undefined ? { passphrase: params.passphrase } : {}),
      ...(params.command !== undefined ? { command: params.command } : {}),
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    if (result.ok && result.output && hasExpectation(params.expect)) {
      const mismatch = evaluateContent(result.output, params.expect);
      if (mismatch) error = `logged in to ${target} as ${username}; output of '${params.command}': ${mismatch}`;
    }
    const action = params.command ? `login as ${username} and '${params.command}'` : `login as ${username}`;
    this.log(service, action, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

/** Key login: the username is required, the password optional (tried after the key). */
function keyCredentials(type: ServiceType, service: Service): { username: string; password: string | undefined } {
  if (service.username === undefined) return type.getCredentials(service); // throws the standard CredentialsError
  return { username: service.username, password: service.password };
}

