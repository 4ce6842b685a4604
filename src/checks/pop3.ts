/** The built-in `pop3` check. */
import { z } from 'zod';
import { probePop3 } from '../probes/pop3.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** The mailbox must hold at least this many messages (STAT). */
    minMessages: z.number().int().min(0).optional(),
    /** A message with this unique id (UIDL) must be present. */
    uidl: z.string().min(1).optional(),
    /** Implicit TLS (POP3S, port 995); certificates are not verified. Default false. */
    tls: z.boolean().default(false),
  })
  .strict();

/**
 * POP3: logs in (USER/PASS) and reads the mailbox size; optionally requires a minimum
 * message count or a message with a given unique id.
 */
export class Pop3Check extends ServiceType {
  readonly shortName = 'pop3';
  override readonly defaultPort = 110;
  override readonly description = 'POP3 login, optional message count or UIDL present';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const port = portOf(service, params.tls ? 995 : 110);
    const target = targetOf(service, port);
    const deadline = startProbeDeadline(ctx);
    const result = await probePop3({
      host: service.host,
      port,
      target,
      tls: params.tls,
      username,
      password,
      uidl: params.uidl !== undefined,
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    if (result.ok) {
      const { messages, uids } = result.mailbox;
      const where = `logged in to ${target} as ${username}`;
      if (params.minMessages !== undefined && messages < params.minMessages) {
        error = `${where}; the mailbox holds ${messages} message${messages === 1 ? '' : 's'}, expected at least ${params.minMessages}`;
      } else if (params.uidl !== undefined && !uids?.includes(params.uidl)) {
        error = `${where}; no message with UIDL '${params.uidl}' among ${messages}`;
      }
    }
    this.log(service, `login as ${username}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
