/** dns: one A query to dnsmasq, with node's Resolver (what the check uses). */
import { Resolver } from 'node:dns/promises';
import { startDnsmasq } from '../../test/daemons/support/dnsmasq.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The dns side of the protocol benchmark. */
export const dnsBench: ProtocolBench = {
  type: 'dns',
  steps: 'A query',
  checks: 2000,
  requires: ['dnsmasq'],
  async start() {
    const d = await startDnsmasq();
    return { target: { host: '127.0.0.1', port: d.port, params: { name: 'www.team1.local', expect: ['10.1.1.5'] } }, stop: () => d.stop() };
  },
  async bare(t) {
    const resolver = new Resolver({ timeout: 5000, tries: 1 });
    resolver.setServers([`${t.host}:${t.port}`]);
    try {
      return (await resolver.resolve4('www.team1.local')).includes('10.1.1.5');
    } catch {
      return false;
    }
  },
};
