import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEngine, defaultRegistry, MemoryStore, type CheckResult } from '../src/index.js';
import { freePort } from './support/daemon.js';

// The worked example of docs/custom-checks.md, run for real against local servers.
const root = join(import.meta.dirname, '..');
const servers: Array<Server | HttpServer> = [];
let bannerPort = 0;

function listen(server: Server | HttpServer, port: number, host: string) {
  servers.push(server);
  return new Promise<void>((resolve) => server.listen(port, host, resolve));
}

beforeAll(async () => {
  await import('../examples/custom-checks/checks.js');
  bannerPort = await freePort();
  // Team 1 greets correctly, team 2 with the wrong word, team 3 runs nothing.
  await listen(createServer((s) => s.end('220 welcome to blue-falcon\n')), bannerPort, '127.0.0.1');
  await listen(createServer((s) => s.end('220 hacked by red team\n')), bannerPort, '127.0.0.2');
  await listen(
    createHttpServer((_req, res) => res.end('banner of Team1')),
    8080,
    '127.0.0.1',
  );
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('docs/custom-checks.md worked example', () => {
  test('the doc shows exactly the example file', () => {
    const doc = readFileSync(join(root, 'docs/custom-checks.md'), 'utf8');
    const code = readFileSync(join(root, 'examples/custom-checks/checks.ts'), 'utf8');
    expect(doc).toContain('```ts\n' + code + '```');
  });

  test('standard, multi-protocol and mass checks score three teams', async () => {
    const engine = createEngine({ registry: defaultRegistry, store: new MemoryStore() });
    const handle = engine.scan({
      name: 'example-cup',
      teams: [1, 2, 3].map((n) => ({ number: n })),
      services: [
        { name: 'greeter', type: 'banner', host: '127.0.0.{team}', port: bannerPort, timeoutMs: 2000 },
        { name: 'portal', type: 'any-banner', host: '127.0.0.{team}', port: 8080, timeoutMs: 2000 },
        { name: 'sweep', type: 'banner-sweep', host: '127.0.0.{team}', port: bannerPort, timeoutMs: 2000 },
      ],
      teamInfo: { 1: { banner_word: 'blue-falcon' }, 2: { banner_word: 'green-otter' } },
    });
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    await handle.summary;
    const r = (team: number, service: string) => results.find((x) => x.team === team && x.service === service)!;
    expect(r(1, 'greeter')).toMatchObject({ score: 1, error: null, resolvedType: 'banner' });
    expect(r(2, 'greeter')).toMatchObject({ score: 0, error: "banner '220 hacked by red team' does not contain 'green-otter'" });
    expect(r(3, 'greeter').error).toMatch(/^no banner from 127\.0\.0\.3:\d+: connect ECONNREFUSED/);
    expect(r(1, 'portal')).toMatchObject({ score: 1, resolvedType: 'http-banner' });
    expect(r(2, 'portal')).toMatchObject({ score: 0, resolvedType: 'http-banner' });
    expect(r(1, 'sweep')).toMatchObject({ score: 1, resolvedType: 'banner-sweep' });
    expect(r(2, 'sweep')).toMatchObject({ score: 1 });
    expect(r(3, 'sweep').error).toMatch(/^no banner: connect ECONNREFUSED/);
  });
});
