/**
 * A TCP relay that makes a link slow and lossy, for kernels without `netem` (benchmark
 * tooling, not product code). It listens where a team's service would and forwards each
 * connection to the real server:
 * - every chunk from the server is held for the connection's delay before it goes on
 *   (drawn once per connection, uniformly within mean ± jitter, as netem's
 *   `delay 20ms 5ms` draws per packet); chunks keep their order;
 * - a share of new connections is held `lossHoldMs` (about 1 s) before it is served at
 *   all: what a lost SYN costs a client, whose first retransmit comes 1 s later.
 *
 * `startSilentServer` is the other half of an emulated red team: it accepts and never
 * answers (a black-holed service where iptables is missing).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** How the relay degrades a link. */
export interface LinkEmulation {
  /** Mean delay added before each chunk towards the client, ms. */
  readonly delayMs: number;
  /** The delay is drawn uniformly within delayMs ± jitterMs. */
  readonly jitterMs: number;
  /** Share of new connections held before being served, 0..1. */
  readonly lossShare: number;
  /** How long a "lost" connection is held, ms. */
  readonly lossHoldMs: number;
}

/** netem's `delay 20ms 5ms loss 1%`, as the relay emulates it. */
export const DEFAULT_LINK: LinkEmulation = { delayMs: 20, jitterMs: 5, lossShare: 0.01, lossHoldMs: 1000 };

/** Largest listen backlog (capped by the namespace's net.core.somaxconn): a burst of SYNs must not be dropped by us. */
export const LISTEN_BACKLOG = 65_535;

/** What a relay did so far. */
export interface RelayCounts {
  connections: number;
  /** Connections held as "lost". */
  held: number;
}

/** Forwards `client` to `upstreamPort` on 127.0.0.1 through the emulated link. */
function relay(client: Socket, upstreamPort: number, link: LinkEmulation, random: () => number, counts: RelayCounts): void {
  counts.connections++;
  const delayMs = link.delayMs + (random() * 2 - 1) * link.jitterMs;
  client.on('error', () => client.destroy());
  client.pause();
  const start = () => {
    if (client.destroyed) return;
    const upstream = connect(upstreamPort, '127.0.0.1');
    let inFlight = 0;
    let upstreamEnded = false;
    const endClientWhenDrained = () => {
      if (upstreamEnded && inFlight === 0) client.end();
    };
    upstream.on('data', (chunk) => {
      inFlight++;
      setTimeout(() => {
        inFlight--;
        if (!client.destroyed) client.write(chunk);
        endClientWhenDrained();
      }, delayMs);
    });
    upstream.on('end', () => {
      upstreamEnded = true;
      endClientWhenDrained();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    client.resume();
  };
  if (random() < link.lossShare) {
    counts.held++;
    setTimeout(start, link.lossHoldMs);
  } else {
    start();
  }
}

/** A listening relay. */
export interface LinkRelay {
  readonly server: Server;
  readonly counts: RelayCounts;
}

/** Starts a relay on `port` (every address of the host) in front of 127.0.0.1:`upstreamPort`. */
export async function startLinkRelay(port: number, upstreamPort: number, link: LinkEmulation = DEFAULT_LINK, random: () => number = Math.random): Promise<LinkRelay> {
  const counts: RelayCounts = { connections: 0, held: 0 };
  // allowHalfOpen: a client that ends its side still gets the delayed chunks.
  const server = createServer({ allowHalfOpen: true }, (client) => relay(client, upstreamPort, link, random, counts));
  await listen(server, port);
  return { server, counts };
}

/** Starts a server on `port` that accepts connections and never answers (each is dropped when its client goes). */
export async function startSilentServer(port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.destroy());
    socket.resume();
  });
  await listen(server, port);
  return server;
}

/** Listens on every address at `port` with the largest backlog. */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
