/**
 * Issue 19, point 6: a one-shot CLI command exits with its code once its results are
 * written and its output flushed, even when a plugin's check left a timer running, and
 * says what was left open. Runs the built binary (npm run build first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { tempDataDir } from '../support/pg.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-i19-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI exits when its scan is done', () => {
  test('a plugin check that leaks a 60 s timer does not hold `scan` open', { timeout: 90_000 }, async () => {
    const config = join(dir, 'competition.yaml');
    writeFileSync(
      config,
      `name: leak-cup
plugins: [${JSON.stringify(join(import.meta.dirname, '../fixtures/plugins/leaky-plugin'))}]
teams: [{ number: 1 }]
services:
  - { name: probe, type: leaky, host: 127.0.0.1 }
`,
    );
    const data = await tempDataDir({ initialized: true });
    try {
      const t0 = Date.now();
      const scan = await runCli(['scan', '--config', config, '--json', '--data', data]);
      const elapsed = Date.now() - t0;
      expect(scan.code, scan.stderr).toBe(0);
      const doc = JSON.parse(scan.stdout) as { results: Array<{ service: string; score: number }> };
      expect(doc.results).toMatchObject([{ service: 'probe', score: 1 }]);
      expect(scan.stderr).toMatch(/warning: the command finished with Timeout still open .*exiting anyway/);
      // Well before the leaked timer (60 s) would have let the process end by itself.
      expect(elapsed).toBeLessThan(45_000);
      const results = await runCli(['results', '--config', config, '--data', data]);
      expect(results.code, results.stderr).toBe(0);
      expect(results.stdout).toContain('probe');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
