/** `dns`: the team's DNS server answers a query, with every expected answer present. */
import { z } from 'zod';
import { DNS_RECORD_TYPES, queryDns } from '../probes/dns.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { probeError } from './support/probe-error.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** The name asked for (for PTR also an IP address). */
    name: z.string().min(1),
    type: z.enum(DNS_RECORD_TYPES).default('A'),
    /**
     * Answers that must all be present (others may be too). MX as "10 mail.x" or just
     * "mail.x"; TXT as the joined text; names compare case-insensitively, final dot optional.
     */
    expect: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** DNS: `host` is the server; asks it for `name`/`type` and checks the expected answers. */
export class DnsCheck extends ServiceType {
  readonly shortName = 'dns';
  override readonly defaultPort = 53;
  override readonly description = 'DNS query to the team server (A, AAAA, MX, TXT, CNAME, NS, PTR, SOA, SRV); expected answers must all be present';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const error = await probeError(ctx, async (deadline) => {
      const answers = await queryDns(service.host, portOf(service, 53), params.name, params.type, deadline);
      const missing = params.expect.filter((want) => !answers.some((got) => sameAnswer(got, want, params.type)));
      if (answers.length === 0) return `DNS server ${targetOf(service, 53)} has no ${params.type} record for ${params.name}`;
      if (missing.length > 0) {
        return `DNS server ${targetOf(service, 53)} answered ${params.name} ${params.type} with ${clip(answers.join(', '))}, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`;
      }
      return null;
    });
    this.log(service, `${params.type} query for ${params.name}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

/** Whether an answer meets an expected value. */
function sameAnswer(got: string, want: string, type: string): boolean {
  if (type === 'TXT') return got === want;
  const g = normalize(got);
  const w = normalize(want);
  if (g === w) return true;
  // MX/SRV given without priority (and weight/port): compare the target name
  return (type === 'MX' || type === 'SRV') && !w.includes(' ') && g.split(' ').pop() === w;
}

function normalize(s: string): string {
  return s.trim().toLowerCase().replace(/\.$/, '').replace(/\.(\s)/g, '$1');
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
