/**
 * One small HTTP server per team on its own loopback address (127.0.x.y), so a
 * benchmark's checks open real connections as they would on a competition network.
 */
import { createServer, type Server } from 'node:http';

/** Running team servers. */
export interface TeamServers {
  /** Loopback address of each team, by team number (1-based). */
  readonly addressOf: (team: number) => string;
  readonly port: number;
  close(): Promise<void>;
}

/** The loopback address of team `n`: 127.0.1.1 … 127.0.1.250, 127.0.2.1 … */
export function teamAddress(n: number): string {
  return `127.0.${Math.floor((n - 1) / 250) + 1}.${((n - 1) % 250) + 1}`;
}

/**
 * How long the servers keep an idle connection by default. At 1 s (`Keep-Alive:
 * timeout=1`, under undici's default 2 s threshold) the bare loop's undici resets every
 * socket after its response, with an error object; the http check's probe has a 0.5 s
 * threshold since the seventh round, so it keeps the socket until its agent is
 * destroyed. The target rows have used 1 s since the first run. Real web servers keep
 * connections longer (node 5 s, Apache 5 s, nginx 75 s); the benchmark also runs a pair
 * at node's default (bench/notes.md, sixth round).
 */
export const DEFAULT_SERVER_KEEP_ALIVE_MS = 1000;

/** Starts `teams` servers answering "ok from team N" on one port. */
export async function startTeamServers(teams: number, keepAliveMs = DEFAULT_SERVER_KEEP_ALIVE_MS): Promise<TeamServers> {
  const servers: Server[] = [];
  let port = 0;
  for (let n = 1; n <= teams; n++) {
    const body = `ok from team ${n}`;
    const server = createServer((_req, res) => res.end(body));
    server.keepAliveTimeout = keepAliveMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, teamAddress(n), () => {
        const address = server.address();
        if (typeof address === 'object' && address) port = address.port;
        resolve();
      });
    });
    servers.push(server);
  }
  return {
    addressOf: teamAddress,
    port,
    close: async () => {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
