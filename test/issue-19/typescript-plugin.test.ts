/**
 * Issue 19, point 5: a plugin written in TypeScript loads as it is, from the CLI, with
 * and without check threads (through tsx's register() API); compiled JavaScript plugins
 * keep working (the other plugin tests). Runs the built binary (npm run build first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { tempDataDir } from '../support/pg.js';

const example = join(import.meta.dirname, '../../examples/custom-checks/checks.ts');
const dir = mkdtempSync(join(tmpdir(), 'sk-i19-ts-'));
let server: Server;
let port = 0;
beforeAll(async () => {
  // Full points only if the team's banner_word, read in startCheck, reached doCheck
  // (through check.data: point 3), in the engine and in a check thread alike.
  server = createServer((socket) => socket.end('220 welcome blue-falcon\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a TypeScript plugin', () => {
  test('examples/custom-checks/checks.ts loads from the CLI, in the engine and in check threads', { timeout: 120_000 }, async () => {
    const data = await tempDataDir({ initialized: true });
    try {
      for (const threads of [0, 1]) {
        const config = join(dir, `competition-${threads}.yaml`);
        writeFileSync(
          config,
          `name: ts-cup
plugins: [${JSON.stringify(example)}]
scan: { timeout: 5, threads: ${threads} }
teams: [{ number: 1 }]
services:
  - { name: greeter, type: banner, host: 127.0.0.1, port: ${port} }
teamInfo:
  1: { banner_word: blue-falcon }
`,
        );
        const scan = await runCli(['scan', '--config', config, '--json', '--data', data]);
        expect(scan.code, scan.stderr).toBe(0);
        const doc = JSON.parse(scan.stdout) as { results: Array<Record<string, unknown>> };
        expect(doc.results).toMatchObject([{ service: 'greeter', resolvedType: 'banner', score: 1, error: null, status: 'finished' }]);
        // Nothing fell back to the engine's thread because a thread could not load the module.
        expect(scan.stderr).not.toMatch(/could not load a checks module/);
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
