/** The built-in `smtp` check. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { probeSmtp } from '../probes/smtp.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Credentials, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const address = z.string().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'must be an address like user@example.com');

const paramsSchema = z
  .object({
    /** Envelope sender. */
    from: address,
    /** Envelope recipient: a mailbox the server delivers locally. */
    to: address,
    /** AUTH before sending. Default: when the service has credentials. */
    auth: z.boolean().optional(),
    /** Implicit TLS (SMTPS, port 465). Default false. */
    secure: z.boolean().default(false),
    /** STARTTLS policy. Default: use it when the server offers it. */
    starttls: z.enum(['opportunistic', 'required', 'never']).default('opportunistic'),
    /** Name sent with EHLO. Default "scorekeeper.local". */
    heloName: z.string().min(1).default('scorekeeper.local'),
  })
  .strict();

/**
 * SMTP: connects, says EHLO, optionally logs in (AUTH), and sends one small message to a
 * local recipient. A refusal at any step (a relay denial 550, a bad login 535) fails
 * the check with the server's reply.
 */
export class SmtpCheck extends ServiceType {
  readonly shortName = 'smtp';
  override readonly defaultPort = 25;
  override readonly description = 'SMTP: EHLO, optional AUTH, and a message accepted for a local recipient';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const useAuth = params.auth ?? service.username !== undefined;
    const auth: Credentials | undefined = useAuth ? this.getCredentials(service) : undefined;
    const port = portOf(service, params.secure ? 465 : 25);
    const target = targetOf(service, port);
    const nonce = randomBytes(8).toString('hex');
    const deadline = startProbeDeadline(ctx);
    const result = await probeSmtp({
      host: service.host,
      port,
      target,
      secure: params.secure,
      starttls: params.starttls,
      heloName: params.heloName,
      ...(auth ? { auth } : {}),
      from: params.from,
      to: params.to,
      message: composeMessage(service, params.from, params.to, nonce),
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    const error = result.ok ? null : result.error;
    this.log(service, `${auth ? `login as ${auth.username} and ` : ''}mail for ${params.to}`, result.ok, error);
    this.reportScore(service, result.ok ? service.points : 0, error);
  }
}

/** A small plain-text message that says where it came from. */
function composeMessage(service: Service, from: string, to: string, nonce: string): string {
  return [
    `From: <${from}>`,
    `To: <${to}>`,
    `Subject: scorekeeper check ${service.id} ${nonce}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${nonce}.${Date.now()}@scorekeeper.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Service check of ${service.name} for ${service.team.name} (${nonce}).`,
    '',
  ].join('\r\n');
}
