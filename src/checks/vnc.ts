/** `vnc`: the VNC server accepts the password (or no authentication when allowed) and offers a desktop. */
import { z } from 'zod';
import { probeVnc } from '../probes/vnc.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Accept a server that asks for no password (security type None). Default false. */
    allowNoAuth: z.boolean().default(false),
    /** What the desktop name (from ServerInit) must contain / match. */
    desktopName: contentExpectationSchema.optional(),
  })
  .strict();

/**
 * VNC: RFB handshake with VNC authentication (password from the credentials; the
 * username is not used) up to ServerInit. With `allowNoAuth`, a server without a
 * password also passes, and no credentials are needed.
 */
export class VncCheck extends ServiceType {
  readonly shortName = 'vnc';
  override readonly defaultPort = 5900;
  override readonly description = 'VNC (RFB): VNC authentication with the password (or None if allowed), handshake to ServerInit';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    // VNC authentication uses only a password; without one, only a no-auth server can pass
    const password = service.password ?? (params.allowNoAuth ? undefined : this.getCredentials(service).password);
    const error = await probeError(ctx, async (deadline) => {
      const session = await probeVnc(service.host, portOf(service, 5900), deadline, { ...(password !== undefined ? { password } : {}), allowNoAuth: params.allowNoAuth });
      if (hasExpectation(params.desktopName)) {
        const why = evaluateContent(session.name, params.desktopName);
        if (why) return `connected to ${session.target}; logged in, but desktop name ${JSON.stringify(session.name)}: ${why}`;
      }
      return null;
    });
    this.log(service, 'login', error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
