/**
 * DNS probe: one query to one server (node:dns/promises Resolver pointed at host:port),
 * answers flattened to text ("10 mail.team1.local" for MX). The resolver is cancelled
 * when the deadline fires or the check aborts, so no query outlives the check.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** Record types the probe can ask for. */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'PTR', 'SOA', 'SRV'] as const;
/** One of DNS_RECORD_TYPES. */
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Asks `server`:`port` for `name`/`type`; returns the answers as text or throws a sentence. */
export async function queryDns(server: string, port: number, name: string, type: DnsRecordType, deadline: ProbeDeadline): Promise<string[]> {
  const target = `${server.includes(':') ? `[${server}]` : server}:${port}`;
  const address = isIP(server) ? server : (await lookup(server).catch(() => null))?.address;
  if (!address) throw new Error(`cannot resolve the DNS server's own name ${server}`);
  const tries = 2;
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(deadline.remainingMs() / tries) - 10), tries });
  resolver.setServers([isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`]);
  const onAbort = () => resolver.cancel();
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await ask(resolver, name, type);
  } catch (err) {
    if (deadline.signal.aborted && !deadline.timedOut()) throw toError(deadline.signal.reason);
    throw new Error(describeDnsError(err as NodeJS.ErrnoException, target, name, type, deadline));
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    resolver.cancel();
  }
}

async function ask(r: Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'MX':
      return (await r.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT':
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'CNAME':
      return r.resolveCname(name);
    case 'NS':
      return r.resolveNs(name);
    case 'PTR':
      return isIP(name) ? r.reverse(name) : r.resolvePtr(name);
    case 'SOA': {
      const soa = await r.resolveSoa(name);
      return [`${soa.nsname} ${soa.hostmaster} ${soa.serial}`];
    }
    case 'SRV':
      return (await r.resolveSrv(name)).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`);
  }
}

function describeDnsError(err: NodeJS.ErrnoException, target: string, name: string, type: string, deadline: ProbeDeadline): string {
  switch (err.code) {
    case 'ENOTFOUND':
      return `DNS server ${target} says ${name} does not exist (NXDOMAIN)`;
    case 'ENODATA':
      return `DNS server ${target} has no ${type} record for ${name}`;
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return `no answer from DNS server ${target} for ${name} ${type} within ${deadline.seconds()} s`;
    // c-ares says ECONNREFUSED for any server it could not contact: an ICMP "port
    // unreachable" and an unreachable host alike, so the message cannot claim a refusal
    case 'ECONNREFUSED':
      return `no answer from DNS server ${target} for ${name} ${type}: it could not be contacted (no DNS server on that port, or the host is down or unreachable)`;
    case 'EREFUSED':
      return `DNS server ${target} refused to answer ${name} ${type} (REFUSED)`;
    case 'ESERVFAIL':
      return `DNS server ${target} failed to answer ${name} ${type} (SERVFAIL)`;
    case 'EBADRESP':
    case 'EFORMERR':
      return `DNS server ${target} sent a malformed answer for ${name} ${type}`;
    case 'EBADNAME':
      return `'${name}' is not a valid DNS name`;
    default:
      return `DNS query ${name} ${type} to ${target} failed: ${err.code ?? err.message}`;
  }
}
