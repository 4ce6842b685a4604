import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/daemon.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A competition of `services` tcp checks on a closed loopback port (refused at once). */
async function competition(name: string, scan: string, services: number): Promise<string> {
  const closed = await freePort();
  const file = join(dir, `${name}.yaml`);
  const list = Array.from({ length: services }, (_, i) => `  - { name: s${i}, type: tcp, host: 127.0.0.1, port: ${closed} }`).join('\n');
  writeFileSync(file, `name: ${name}\nscan: ${scan}\nteams: [{ number: 1 }, { number: 2 }]\nservices:\n${list}\n`);
  return file;
}

describe('run says before the first round when a round may not fit its interval', { timeout: 120_000 }, () => {
  test('40 checks of 2 s at concurrency 2 in a 5 s interval: a warning with the numbers, then the round', async () => {
    const config = await competition('fit-cup', '{ interval: 5, timeout: 2, concurrency: 2 }', 20);
    const run = await runCli(['run', '--config', config, '--data', join(dir, 'data-a'), '--rounds', '1', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const warning = lines.findIndex((l) => l.startsWith('warning: a round may not fit'));
    expect(lines[warning]).toBe(
      'warning: a round may not fit its 5 s interval: if every service hangs, 40 checks at concurrency 2 take 40 s; at most 4 checks fit. To fit, raise scan.concurrency to at least 16, lower the timeouts, or lengthen scan.interval',
    );
    expect(warning).toBeLessThan(lines.findIndex((l) => l.startsWith('fit-cup round 1:')));
  });

  test('the default concurrency fits the same round: no warning', async () => {
    const config = await competition('fits-cup', '{ interval: 5, timeout: 2 }', 20);
    const run = await runCli(['run', '--config', config, '--data', join(dir, 'data-b'), '--rounds', '1', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('warning:');
    expect(run.stdout).toMatch(/^fits-cup round 1: 40 checks, 0 up, 40 down/m);
  });
});
