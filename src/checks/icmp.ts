/** `icmp`: the host answers ICMP echo requests (the `ping` binary). */
import { z } from 'zod';
import { ping } from '../probes/icmp.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';

const paramsSchema = z
  .object({
    /** Echo requests sent. */
    count: z.number().int().min(1).max(20).default(3),
    /** Highest share of lost replies that still counts as up, in percent. */
    maxLossPercent: z.number().min(0).max(99).default(50),
    /** Seconds to wait for each reply. */
    waitSeconds: z.number().positive().max(10).default(1),
    /** Seconds between requests (0.2 or more). */
    intervalSeconds: z.number().min(0.2).max(5).default(0.2),
  })
  .strict();

/** ICMP: `count` pings, up when at most `maxLossPercent` of them are lost. */
export class IcmpCheck extends ServiceType {
  readonly shortName = 'icmp';
  override readonly description = 'ICMP echo (ping): up when at most maxLossPercent of count pings are lost';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const error = await probeError(ctx, async (deadline) => {
      const r = await ping(service.host, deadline, params);
      const lost = r.transmitted - r.received;
      const loss = r.transmitted === 0 ? 100 : (lost * 100) / r.transmitted;
      if (r.received > 0 && loss <= params.maxLossPercent) return null;
      return `${lost} of ${r.transmitted} pings to ${service.host} lost (${Math.round(loss)}% loss, at most ${params.maxLossPercent}% allowed)`;
    });
    this.log(service, 'ping', error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
