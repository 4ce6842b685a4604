/** `telnet`: log in with the credentials at the telnet prompts, optionally run a command and check its output. */
import { z } from 'zod';
import { probeTelnet } from '../probes/telnet.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf } from './support/target.js';

const regexSchema = z.string().min(1).refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const paramsSchema = z
  .object({
    /** Command run after login. */
    command: z.string().min(1).optional(),
    /** What the command's output must contain / match (needs `command`). */
    expect: contentExpectationSchema.optional(),
    /** Regular expressions (case-insensitive) for the prompts and for a rejected login. */
    loginPrompt: regexSchema.default('login[: ]*$'),
    passwordPrompt: regexSchema.default('password[: ]*$'),
    shellPrompt: regexSchema.default('[$#>%] ?$'),
    failureText: regexSchema.default('Login incorrect|Authentication fail|Access denied|Permission denied|Invalid (user|password)'),
  })
  .strict()
  .refine((p) => p.expect === undefined || p.command !== undefined, { message: 'expect needs a command', path: ['expect'] });

/** Telnet: login at the prompts (telnet-client), shell prompt, optional command output check. */
export class TelnetCheck extends ServiceType {
  readonly shortName = 'telnet';
  override readonly defaultPort = 23;
  override readonly description = 'Telnet login at the login/password prompts, optional command with expected output';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const error = await probeError(ctx, async (deadline) => {
      const result = await probeTelnet(service.host, portOf(service, 23), deadline, {
        username,
        password,
        ...(params.command !== undefined ? { command: params.command } : {}),
        loginPrompt: new RegExp(params.loginPrompt, 'i'),
        passwordPrompt: new RegExp(params.passwordPrompt, 'i'),
        shellPrompt: new RegExp(params.shellPrompt, 'i'),
        failure: new RegExp(params.failureText, 'i'),
      });
      if (hasExpectation(params.expect) && result.output !== undefined) {
        const why = evaluateContent(result.output, params.expect);
        if (why) return `connected to ${result.target}; logged in as ${username}, but '${params.command ?? ''}' output: ${why}`;
      }
      return null;
    });
    this.log(service, `login as ${username}${params.command ? ` and '${params.command}'` : ''}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
