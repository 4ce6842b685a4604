/**
 * Team servers for the rounds-that-fit scenario, in a process of their own (so their CPU
 * is not the scanner's): on each team's loopback address (team-servers.ts), one port
 * that answers HTTP and one that accepts and never answers (a black-holed service).
 * Prints `ready <answerPort> <deadPort>`; exits when its parent goes (stdin closes).
 *   node dist/bench/lib/dead-service-servers.js <teams>
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { teamAddress } from './team-servers.js';

/** The first port tried for the answering servers; the dead ones use the next. */
const BASE_PORT = 18_480;
/** A held connection is dropped after this long (longer than any check's timeout here), ms. */
const HOLD_MS = 30_000;

async function main(teams: number): Promise<void> {
  for (let n = 1; n <= teams; n++) {
    const host = teamAddress(n);
    const body = `ok from team ${n}`;
    const live = createServer((_req, res) => res.end(body));
    live.keepAliveTimeout = 5000;
    const dead = createTcpServer((socket: Socket) => {
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), HOLD_MS).unref();
    });
    await new Promise<void>((resolve, reject) => {
      live.once('error', reject);
      live.listen({ port: BASE_PORT, host, backlog: 65_535 }, resolve);
    });
    await new Promise<void>((resolve, reject) => {
      dead.once('error', reject);
      dead.listen({ port: BASE_PORT + 1, host, backlog: 65_535 }, resolve);
    });
  }
  process.stdout.write(`ready ${BASE_PORT} ${BASE_PORT + 1}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main(Number(process.argv[2] ?? 100)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
