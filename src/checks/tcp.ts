/** `tcp`: the port accepts connections; optionally the banner matches. */
import { z } from 'zod';
import { probeTcp } from '../probes/tcp.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Text sent right after connecting, before reading the banner ("\r\n" escapes allowed in YAML). */
    send: z.string().optional(),
    /** What the first bytes from the server must contain / match. */
    banner: contentExpectationSchema.optional(),
  })
  .strict();

/** TCP: connect to host:port; with `banner`, the first bytes received must match it. */
export class TcpCheck extends ServiceType {
  readonly shortName = 'tcp';
  override readonly description = 'TCP connect, optional banner match on the first bytes the server sends';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    if (service.port === undefined) throw new Error(`${service.id}: a tcp check needs a port`);
    const port = portOf(service, 0);
    const expect = hasExpectation(params.banner) ? params.banner : undefined;
    const error = await probeError(ctx, async (deadline) => {
      const result = await probeTcp(service.host, port, deadline, {
        ...(params.send !== undefined ? { send: params.send } : {}),
        readBanner: expect !== undefined,
        // contains/regex can be judged as bytes arrive; a hash needs everything
        ...(expect ? { enough: (b: Buffer) => expect.sha256 === undefined && evaluateContent(b, expect) === null } : {}),
      });
      if (expect && result.banner) {
        const why = evaluateContent(result.banner, expect);
        if (why) {
          const how = result.stopped === 'timeout' ? ` (received within ${deadline.seconds()} s)` : result.stopped === 'closed' ? ' before the server closed the connection' : '';
          return result.banner.length === 0 ? `connected to ${result.target}; no banner${how}` : `connected to ${result.target}; banner: ${why}${how}`;
        }
      }
      return null;
    });
    this.log(service, `connect${expect ? ' and banner' : ''}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
