/** `rdp`: the server completes the RDP connection handshake (X.224 Connection Confirm). */
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { probeRdp } from '../probes/rdp.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
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
    const deadline = startProbeDeadline(ctx);
    let error: string | null = null;
    let detail = '';
    try {
      const confirm = await probeRdp(service.host, portOf(service, 3389), deadline);
      detail = confirm.selected ? ` (${confirm.selected})` : confirm.failure ? ` (negotiation: ${confirm.failure})` : '';
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      error = errorMessage(err);
    } finally {
      deadline.dispose();
    }
    this.log(service, `handshake${detail}`, error === null);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
