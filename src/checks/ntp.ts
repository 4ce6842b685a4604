/** `ntp`: the server answers an SNTP request as a synchronized server with a sane time. */
import { z } from 'zod';
import { queryNtp, type NtpAnswer } from '../probes/ntp.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Highest acceptable stratum (1 = a reference clock, 15 = the protocol's limit). */
    maxStratum: z.number().int().min(1).max(15).default(15),
    /** Largest acceptable difference between the server's clock and ours, seconds. */
    maxOffsetSeconds: z.number().positive().default(3600),
  })
  .strict();

/** NTP: one SNTP query; the answer must be a server answer (mode 4), stratum 1..maxStratum, time within maxOffsetSeconds. */
export class NtpCheck extends ServiceType {
  readonly shortName = 'ntp';
  override readonly defaultPort = 123;
  override readonly description = 'NTP (SNTP over UDP): server mode, synchronized, stratum <= maxStratum, clock within maxOffsetSeconds';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const target = targetOf(service, 123);
    const error = await probeError(ctx, async (deadline) => judge(await queryNtp(service.host, portOf(service, 123), deadline), target, params));
    this.log(service, 'query', error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

function judge(a: NtpAnswer, target: string, params: z.infer<typeof paramsSchema>): string | null {
  const from = `NTP answer from ${target}`;
  if (a.mode !== 4) return `${from} has mode ${a.mode}, not 4 (server)`;
  if (a.stratum === 0) return `${from} is a kiss-o'-death${a.refId ? ` (${a.refId})` : ''}: the server refuses to serve time`;
  if (a.leap === 3 || a.stratum >= 16) return `${from}: the server is not synchronized`;
  if (a.stratum > params.maxStratum) return `${from} has stratum ${a.stratum} (at most ${params.maxStratum} allowed)`;
  if (a.transmitMs === 0) return `${from} has no transmit time`;
  const offset = Math.abs(a.offsetMs) / 1000;
  if (offset > params.maxOffsetSeconds) return `${from}: its clock is ${Math.round(offset)} s off (at most ${params.maxOffsetSeconds} s allowed)`;
  return null;
}
