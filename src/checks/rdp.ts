/** `rdp`: the server completes the RDP connection handshake (X.224 Connection Confirm). */
import { z } from 'zod';
import { probeRdp } from '../probes/rdp.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf } from './support/target.js';

const paramsSchema = z
  .object({
  })
  .strict();

/**
 * RDP: X.224 Connection Request with an RDP negotiation request (TLS or CredSSP);
 * up when the server answers with a Connection Confirm, whatever protocol it selects
 * (a negotiation failure is still an RDP server answering). No login is attempted.
 */
export class RdpCheck extends ServiceType {
  readonly shortName = 'rdp';
  override readonly defaultPort = 3389;
  override readonly description = 'RDP handshake: X.224 Connection Request answered by a Connection Confirm (no login)';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    parseParams(paramsSchema, service);
    let detail = '';
    const error = await probeError(ctx, async (deadline) => {
      const confirm = await probeRdp(service.host, portOf(service, 3389), deadline);
      detail = confirm.selected ? ` (${confirm.selected})` : confirm.failure ? ` (negotiation: ${confirm.failure})` : '';
      return null;
    });
    this.log(service, `handshake${detail}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
