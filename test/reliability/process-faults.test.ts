/**
 * Process faults on the built CLI (`scorekeeper run`, embedded database): SIGKILL in
 * the middle of a round, then a restart, leaves no check in progress; SIGTERM and SIGHUP
 * (a closed terminal) let the round in flight finish and be saved, then exit cleanly; a
 * second signal stops the round at once and the process exits.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { tempDataDir } from '../support/pg.js';
import { requireBuiltCli, startCli } from './support/cli.js';
import { startHeldHttpServer, type HeldHttpServer } from './support/held-http-server.js';
import { waitUntil } from './support/wait-until.js';

const TEAMS = 5;

let server: HeldHttpServer;
let dir: string;
let config: string;

beforeAll(() => requireBuiltCli());

beforeEach(async () => {
  server = await startHeldHttpServer();
  dir = await tempDataDir({ initialized: true });
  config = join(dir, 'competition.yaml');
  writeFileSync(
    config,
    `name: process-cup
scan: { interval: 60, timeout: 30 }
teams: [${Array.from({ length: TEAMS }, (_, i) => `{ number: ${i + 1} }`).join(', ')}]
services:
  - { name: web, type: http, host: 127.0.0.1, port: ${server.port} }
  - { name: port, type: tcp, host: 127.0.0.1, port: ${server.port} }
`,
  );
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Check rows by round and status, read from the data folder after the CLI exited. */
async function storedChecks(): Promise<Array<{ round: number; team: number; service: string; status: string; error: string | null }>> {
  const store = await openEmbeddedStore({ dataDir: dir });
  try {
    return await store.db.any('SELECT s.round, c.team, c.service, c.status, c.error FROM checks c JOIN scans s ON s.id = c.scan_id ORDER BY s.round, c.team, c.service');
  } finally {
    await store.close();
  }
}

describe('process faults', () => {
  test('SIGKILL during a round, then a restart: no check stays in progress', async () => {
    const first = startCli(['run', '--config', config, '--data', dir, '--quiet']);
    await waitUntil(`every team's web check waiting on the slow service (stderr: ${first.stderr()})`, () => server.pending === TEAMS, 30_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    server.release();
    const second = startCli(['run', '--config', config, '--data', dir, '--rounds', '1', '--quiet']);
    expect((await second.exited).code, second.stderr()).toBe(0);
    expect(second.stdout()).toContain(`process-cup round 2: ${TEAMS * 2} checks, ${TEAMS * 2} up`);
    const closed = Number(/closed (\d+) checks left in progress by an earlier crash as interrupted/.exec(second.stderr())?.[1]);

    const rows = await storedChecks();
    expect(rows.filter((r) => r.status === 'in_progress')).toEqual([]);
    const round1 = rows.filter((r) => r.round === 1);
    const round2 = rows.filter((r) => r.round === 2);
    expect(round1).toHaveLength(TEAMS * 2);
    expect(round2).toHaveLength(TEAMS * 2);
    expect(round1.filter((r) => r.service === 'web').every((r) => r.status === 'interrupted' && r.error?.startsWith('interrupted:'))).toBe(true);
    expect(round1.every((r) => r.status === 'finished' || r.status === 'interrupted')).toBe(true);
    // The tcp checks may or may not have been written before the kill: the restart closed the rest.
    expect(round1.filter((r) => r.status === 'interrupted')).toHaveLength(closed);
    expect(closed).toBeGreaterThanOrEqual(TEAMS);
    expect(round2.every((r) => r.status === 'finished' && r.error === null)).toBe(true);
  }, 60_000);

  // SIGHUP is what a closed terminal or a dropped SSH session sends.
  test.each(['SIGTERM', 'SIGHUP'] as const)('%s during a round: the round in flight finishes, is saved, and the process exits 0', async (signal) => {
    const run = startCli(['run', '--config', config, '--data', dir, '--quiet']);
    await waitUntil(`every team's web check waiting on the slow service (stderr: ${run.stderr()})`, () => server.pending === TEAMS, 60_000);
    run.child.kill(signal);
    await waitUntil(`the CLI to acknowledge ${signal}`, () => run.stdout().includes(`${signal}: finishing the current round, then stopping`));
    server.release();
    expect((await run.exited).code, run.stderr()).toBe(0);
    expect(run.stdout()).toContain(`process-cup round 1: ${TEAMS * 2} checks, ${TEAMS * 2} up, 0 down`);

    const rows = await storedChecks();
    expect(rows).toHaveLength(TEAMS * 2);
    expect(rows.every((r) => r.round === 1 && r.status === 'finished' && r.error === null)).toBe(true);
  }, 120_000);

  // What the stopped checks are stored as (interrupted, not 0) is the seed-fidelity
  // issue's part; here: the second signal does not wait for the hanging checks.
  test('a second signal stops the round at once and the process exits', async () => {
    const run = startCli(['run', '--config', config, '--data', dir, '--quiet']);
    await waitUntil(`every team's web check waiting on the slow service (stderr: ${run.stderr()})`, () => server.pending === TEAMS, 60_000);
    run.child.kill('SIGHUP');
    await waitUntil('the CLI to acknowledge SIGHUP', () => run.stdout().includes('SIGHUP: finishing the current round'));
    const second = performance.now();
    run.child.kill('SIGINT');
    const exited = await run.exited;
    const ms = Math.round(performance.now() - second);
    console.log(`second signal to exit: ${ms} ms (checks held for 30 s)`);
    expect(exited.code, run.stderr()).toBe(0);
    // The web checks were held by the server for their whole 30 s timeout: the exit did not wait for them.
    expect(ms).toBeLessThan(15_000);
    expect((await storedChecks()).filter((r) => r.status === 'in_progress')).toEqual([]);
  }, 120_000);
});
