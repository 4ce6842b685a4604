/**
 * Issue 19, point 1: `log(service, action, ok)` writes IScorE's whole sentence,
 * `<thread>: FAIL TeamN : <PROTOCOL> <action> to <host>`, for a ported plugin check and a
 * built-in alike, with and without check threads.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECK_LINE_PATTERN, createEngine, MemoryStore, registerBuiltinChecks, runCheck, ServiceRegistry, ServiceType, type Service } from '../../src/index.js';

const plugin = join(import.meta.dirname, '../fixtures/plugins/iscore-port');
let server: Server;
let tcpPort = 0;
beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tcpPort = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A check written as IScorE's page shows it: a short action, the engine adds the rest. */
class Http extends ServiceType {
  readonly shortName = 'web-port';
  override readonly displayName = 'HTTP';
  override readonly defaultPort = 80;
  override doCheck(service: Service) {
    this.log(service, 'connect', true);
    this.reportScore(service, service.points);
  }
}

describe('the standard log line', () => {
  test("IScorE's two examples, from runCheck", async () => {
    const ok = await runCheck(new Http(), { host: '127.0.0.1', team: { number: 2, name: 'Team2' } });
    expect(ok.logs).toEqual(['team-2/web-port: Success Team2 : HTTP connect to 127.0.0.1']);
    const port = await runCheck(new Http(), { host: '127.0.0.1', port: 8080 });
    expect(port.logs).toEqual(['team-1/web-port: Success Team1 : HTTP connect to 127.0.0.1:8080']);
    // No displayName: the short name upper-cased.
    class Plain extends ServiceType {
      readonly shortName = 'gopher';
      override doCheck(service: Service) {
        this.log(service, 'fetch /', false);
        this.reportScore(service, 0, 'down');
      }
    }
    const plain = await runCheck(new Plain(), { host: '::1', port: 70 });
    expect(plain.logs).toEqual(['team-1/gopher: FAIL Team1 : GOPHER fetch / to [::1]:70']);
  });

  for (const checkThreads of [0, 1]) {
    test(`plugin and built-in lines have one shape (${checkThreads ? 'check threads' : "engine's thread"})`, async () => {
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
      const registry = new ServiceRegistry();
      registerBuiltinChecks(registry);
      const engine = createEngine({ registry, store: new MemoryStore(), plugins: [plugin], logger, checkThreads });
      try {
        await engine.ready();
        await engine.scan({
          name: 'log-cup',
          teams: [{ number: 2 }],
          services: [
            { name: 'ssh', type: 'ported-ssh', host: '127.0.0.1' },
            { name: 'ssh-alt', type: 'ported-ssh', host: '127.0.0.1', port: 2222, params: { succeed: true } },
            { name: 'echo', type: 'tcp', host: '127.0.0.1', port: tcpPort },
          ],
        }).summary;
      } finally {
        await engine.close();
      }
      const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => CHECK_LINE_PATTERN.test(m)).sort();
      expect(messages).toEqual([
        `team-2/echo: Success Team2 : TCP connect to 127.0.0.1:${tcpPort}`,
        'team-2/ssh-alt: Success Team2 : SSH login to 127.0.0.1:2222',
        'team-2/ssh: FAIL Team2 : SSH login to 127.0.0.1',
      ]);
      expect(CHECK_LINE_PATTERN.exec(messages[2]!)?.groups).toEqual({ thread: 'team-2/ssh', outcome: 'FAIL', team: 'Team2', protocol: 'SSH', action: 'login', host: '127.0.0.1' });
    });
  }
});
