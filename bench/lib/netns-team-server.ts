/**
 * The team servers of one network namespace (run inside it with `ip netns exec`): HTTP
 * on every healthy service port of every team address in the namespace, behind a
 * link relay when the kernel has no netem, and a silent server on each black-holed port
 * when iptables does not drop them. Prints one JSON line when ready; exits when its
 * stdin ends (its parent died or closed it), so it never outlives the benchmark.
 *   node netns-team-server.js '<TeamServerPlan json>'
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { listen, startLinkRelay, startSilentServer, type LinkEmulation } from './link-relay.js';

/** What the namespace serves. */
export interface TeamServerPlan {
  /** Ports answering HTTP "ok". */
  readonly healthyPorts: readonly number[];
  /** Ports that accept and never answer (empty when iptables drops them). */
  readonly silentPorts: readonly number[];
  /** The relay's link emulation, or null when the kernel's netem emulates the link. */
  readonly link: LinkEmulation | null;
  /** The HTTP server's keep-alive timeout (as bench/lib/team-servers.ts). */
  readonly keepAliveMs: number;
}

/** The ready line. */
export interface TeamServerReady {
  readonly ready: true;
  readonly pid: number;
}

async function main(plan: TeamServerPlan): Promise<void> {
  const http = createServer((_req, res) => res.end('ok'));
  http.keepAliveTimeout = plan.keepAliveMs;
  if (plan.link) {
    await listen(http, 0, '127.0.0.1');
    const upstream = (http.address() as AddressInfo).port;
    for (const port of plan.healthyPorts) await startLinkRelay(port, upstream, plan.link);
  } else {
    // One HTTP server behind several listening sockets: each port hands its connections over.
    for (const port of plan.healthyPorts) await listen(createTcpServer((socket) => http.emit('connection', socket)), port);
  }
  for (const port of plan.silentPorts) await startSilentServer(port);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
  const ready: TeamServerReady = { ready: true, pid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

const plan = process.argv[2];
if (!plan) {
  process.stderr.write("usage: netns-team-server.js '<plan json>'\n");
  process.exit(2);
}
main(JSON.parse(plan) as TeamServerPlan).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
