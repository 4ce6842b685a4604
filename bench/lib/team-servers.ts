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

/** Starts `teams` servers answering "ok from team N" on one port. */
export async function startTeamServers(teams: number): Promise<TeamServers> {
  const servers: Server[] = [];
  let port = 0;
  for (let n = 1; n <= teams; n++) {
    const body = `ok from team ${n}`;
    const server = createServer((_req, res) => res.end(body));
    server.keepAliveTimeout = 1000;
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
