/** The built-in `imap` check. */
import { z } from 'zod';
import { probeImap } from '../probes/imap.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Mailbox that must exist ("INBOX", "Sent"). */
    mailbox: z.string().min(1).optional(),
    /** The mailbox must hold at least this many messages. */
    minMessages: z.number().int().min(0).optional(),
    /** Implicit TLS (IMAPS, port 993); certificates are not verified. Default false. */
    secure: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.minMessages === undefined || p.mailbox !== undefined, { message: 'minMessages needs a mailbox', path: ['minMessages'] });

/**
 * IMAP: logs in; optionally requires a mailbox to exist and to hold a minimum number of
 * messages. A rejected login is reported with the server's text.
 */
export class ImapCheck extends ServiceType {
  readonly shortName = 'imap';
  override readonly defaultPort = 143;
  override readonly description = 'IMAP login, optional mailbox exists / holds at least N messages';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const port = portOf(service, params.secure ? 993 : 143);
    const target = targetOf(service, port);
    const deadline = startProbeDeadline(ctx);
    const result = await probeImap({
      host: service.host,
      port,
      target,
      secure: params.secure,
      username,
      password,
      ...(params.mailbox !== undefined ? { mailbox: params.mailbox } : {}),
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    if (result.ok && params.minMessages !== undefined && (result.messages ?? 0) < params.minMessages) {
      const n = result.messages ?? 0;
      error = `logged in to ${target} as ${username}; mailbox '${params.mailbox}' holds ${n} message${n === 1 ? '' : 's'}, expected at least ${params.minMessages}`;
    }
    this.log(service, `login as ${username}${params.mailbox ? ` and mailbox '${params.mailbox}'` : ''}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
