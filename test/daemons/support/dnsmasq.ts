/**
 * dnsmasq on 127.0.0.1 for the dns daemon tests and the protocol benchmark: a
 * non-standard port, no upstream, and team1.local's records from the command line
 * (www A 10.1.1.5, web CNAME www, MX mail, TXT, and the PTR of 10.1.1.5).
 */
import { freePort, startDaemon, type Daemon } from '../../support/daemon.js';

/** Starts dnsmasq on a free port (UDP and TCP). */
export async function startDnsmasq(): Promise<Daemon> {
  const port = await freePort();
  return startDaemon({
    name: 'dnsmasq',
    command: 'dnsmasq',
    port,
    args: ['-k', '-C', '/dev/null', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts',
      '--user=root', '--pid-file=', '--local=/team1.local/', '--host-record=www.team1.local,10.1.1.5', '--cname=web.team1.local,www.team1.local',
      '--mx-host=team1.local,mail.team1.local,10', '--txt-record=team1.local,v=spf1 -all', '--ptr-record=5.1.1.10.in-addr.arpa,www.team1.local'],
  });
}
