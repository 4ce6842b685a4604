/**
 * The demo's blue-team "servers": small local services for three teams on their own
 * loopback addresses (127.0.0.1, .2, .3), with the faults a real round shows:
 * a defaced page, a service that is down, and one that accepts and never answers.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

/** Ports of the demo services (the same on every team's address). */
export interface DemoPorts {
  readonly web: number;
  readonly mail: number;
  readonly api: number;
}

/** Running demo services. */
export interface DemoServices {
  readonly ports: DemoPorts;
  /** What each team's services do, for the demo's explanation. */
  readonly story: readonly string[];
  close(): Promise<void>;
}

const TEAM_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'] as const;

/** Starts the demo services on free ports. */
export async function startDemoServices(): Promise<DemoServices> {
  const servers: Array<Server | HttpServer> = [];
  const sockets = new Set<Socket>();
  const track = <S extends Server | HttpServer>(server: S): S => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    servers.push(server);
    return server;
  };
  const listen = (server: Server | HttpServer, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });

  // Ports are chosen on team 1's address, then reused on the other addresses.
  const web = await listen(track(createHttpServer((_q, r) => r.end('<h1>Welcome to Team1 intranet</h1>'))), 0, TEAM_HOSTS[0]);
  await listen(track(createHttpServer((_q, r) => r.end('<h1>Defaced by the red team</h1>'))), web, TEAM_HOSTS[1]);
  await listen(track(createHttpServer((_q, r) => r.end('<h1>Welcome to Team3 intranet</h1>'))), web, TEAM_HOSTS[2]);

  const mail = await listen(track(createServer((s) => s.end('220 mail.team1.local ESMTP ready\r\n'))), 0, TEAM_HOSTS[0]);
  // Team 2's mail server is down: nothing listens there.
  await listen(track(createServer((s) => s.end('220 mail.team3.local ESMTP ready\r\n'))), mail, TEAM_HOSTS[2]);

  const api = await listen(track(createHttpServer((_q, r) => r.end('{"status":"ok"}'))), 0, TEAM_HOSTS[0]);
  await listen(track(createHttpServer((_q, r) => r.end('{"status":"ok"}'))), api, TEAM_HOSTS[1]);
  // Team 3's API accepts connections and never answers.
  await listen(track(createServer(() => undefined)), api, TEAM_HOSTS[2]);

  return {
    ports: { web, mail, api },
    story: [
      'Team1: every service healthy',
      'Team2: web page defaced, mail server down',
      // the http check gives up at its own deadline and reports "no answer": down, but not
      // one of the engine's "timed out" checks (those overran their deadline)
      'Team3: API accepts connections but never answers (down: no answer before its 2 s deadline)',
    ],
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

/**
 * The name of one demo run's competition (`demo-20261202-055812`): each run starts its
 * own competition at round 1, so its scores are not added to an earlier run's.
 */
export function demoCompetitionName(now: Date = new Date()): string {
  return `demo-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** The demo's competition file, for the ports the services got. */
export function demoCompetitionYaml(ports: DemoPorts, rounds: number, name: string = demoCompetitionName()): string {
  return `# Written by 'scorekeeper demo': the demo competition, ${rounds} rounds.
name: ${name}
scan:
  interval: 3
  jitter: 0
  timeout: 2
  concurrency: 20
teams:
  - { number: 1, name: Team1 }
  - { number: 2, name: Team2 }
  - { number: 3, name: Team3 }
services:
  - name: web
    type: http
    host: "127.0.0.{team}"
    port: ${ports.web}
    points: 10
    params: { path: /, expect: { contains: Welcome } }
  - name: mail
    type: tcp
    host: "127.0.0.{team}"
    port: ${ports.mail}
    points: 5
    params: { banner: { regex: "^220 " } }
  - name: api
    type: http
    host: "127.0.0.{team}"
    port: ${ports.api}
    points: 5
    timeout: 2
    params: { path: /health, expect: { contains: ok } }
`;
}
