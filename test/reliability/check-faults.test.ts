/**
 * Check faults at scale: 1,000 checks in one scan where 10% hang (a server that accepts
 * and never answers), 10% throw, 10% hit closed ports and 10% get garbage back (a
 * server that sends random bytes), beside 60% healthy ones. Real local servers, the
 * built-in `tcp`/`http` checks and fake types. The scan must end within the longest
 * timeout plus 1 s, give every check exactly one result (an error when it failed), and
 * leave no socket, timer or child process behind.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { createEngine } from '../../src/engine.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { CheckResult, Competition } from '../../src/types.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { freePort } from '../support/daemon.js';
import { recordingType, registryOf } from '../support/recording-types.js';

const TEAMS = 100;
const TIMEOUT_MS = 4000;

const serversScript = fileURLToPath(new URL('./fixtures/chaos-servers.ts', import.meta.url));

/** Starts the fixture servers in a child process; `stop` ends it. */
async function startServers(): Promise<{ ports: { web: number; silent: number; garbage: number }; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serversScript], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => l.startsWith('PORTS ') && resolve(l));
    void exited.then(() => reject(new Error('chaos servers exited before listening')));
  });
  return {
    ports: JSON.parse(line.slice('PORTS '.length)) as { web: number; silent: number; garbage: number },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

describe('check faults at scale', () => {
  test('1,000 checks, 40% faulty: the scan ends in time, one result each, nothing left open', async () => {
    const servers = await startServers();
    const { web: webPort, silent: silentPort, garbage: garbagePort } = servers.ports;
    const closedPorts = await Promise.all([freePort(), freePort(), freePort()]);

    const registry = registryOf(
      recordingType('ok', []),
      recordingType('boom', [], { behaviour: { do: 'throw', message: 'plugin bug: cannot read properties of undefined' } }),
    );
    registerBuiltinChecks(registry);
    const at = (port: number) => ({ host: '127.0.0.1', port });
    const competition: Competition = {
      name: 'chaos-cup',
      defaultTimeoutMs: TIMEOUT_MS,
      teams: Array.from({ length: TEAMS }, (_, i) => ({ number: i + 1, name: `Team${i + 1}` })),
      services: [
        { name: 'web1', type: 'http', ...at(webPort) },
        { name: 'web2', type: 'http', ...at(webPort), params: { path: '/index.html' } },
        { name: 'web3', type: 'tcp', ...at(webPort) },
        { name: 'fake1', type: 'ok', host: '10.{team}.1.1' },
        { name: 'fake2', type: 'ok', host: '10.{team}.1.2' },
        { name: 'fake3', type: 'ok', host: '10.{team}.1.3' },
        { name: 'hang', type: 'http', ...at(silentPort) }, // 10% hang
        { name: 'boom', type: 'boom', host: '10.{team}.1.4' }, // 10% throw
        { name: 'closed', type: 'tcp', host: '127.0.0.1', port: closedPorts[0] }, // 10% closed port
        { name: 'garbage', type: 'http', ...at(garbagePort) }, // 10% garbage
      ],
    };
    const checks = TEAMS * competition.services.length;
    const before = activeResources();

    const store = new MemoryStore();
    const engine = createEngine({ registry, store, concurrency: checks });
    await engine.ready();
    const handle = engine.scan(competition);
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    const started = performance.now();
    let lastStartedMs = 0;
    handle.events$.subscribe((e) => {
      if (e.type === 'check.started') lastStartedMs = performance.now() - started;
    });
    const summary = await handle.summary;
    const elapsedMs = performance.now() - started;
    await engine.close();

    // Ends within the longest timeout plus 1 s, and no check takes longer than its
    // timeout plus 1 s. (With a 2 s timeout the burst of 1,000 checks starting at once
    // on a loaded 2-core machine took up to 2 s of CPU: healthy checks came close to
    // their deadline. 4 s leaves them room.)
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
    expect(Math.max(...results.map((r) => r.durationMs))).toBeLessThan(TIMEOUT_MS + 1000);
    // Exactly one result per check, stored once.
    expect(results).toHaveLength(checks);
    expect(new Set(results.map((r) => r.checkId)).size).toBe(checks);
    expect(store.writes).toHaveLength(checks);
    expect([...store.checks.values()].every((c) => c.record.status === 'finished')).toBe(true);
    expect(summary).toMatchObject({ checks, up: 600, down: 400 });

    const by = (service: string) => results.filter((r) => r.service === service);
    for (const r of results) {
      if (r.score === 0) expect(r.error, `${r.team}/${r.service}`).toMatch(/\S/);
      else expect(r.error).toBeNull();
    }
    for (const s of ['web1', 'web2', 'web3', 'fake1', 'fake2', 'fake3']) expect(by(s).every((r) => r.score === 1), s).toBe(true);
    // The http probe gives up a little before the deadline, with its own words.
    expect(by('hang').every((r) => /^no HTTP answer for \/ within [\d.]+ s$|^timed out after 4 s/.test(r.error ?? ''))).toBe(true);
    expect(new Set(by('boom').map((r) => r.error))).toEqual(new Set(['plugin bug: cannot read properties of undefined']));
    expect(by('closed').every((r) => /refused/i.test(r.error ?? ''))).toBe(true);
    expect(by('garbage').every((r) => r.score === 0 && (r.error ?? '').length > 0 && !r.error!.startsWith('timed out'))).toBe(true);

    // Nothing the checks opened outlives the scan (the servers' process was there before).
    await expectNoLeakedResources(before, 3000);
    const figures = { checks, faulty: 400, elapsedMs: Math.round(elapsedMs), lastStartedMs: Math.round(lastStartedMs), longestCheckMs: Math.max(...results.map((r) => r.durationMs)), lost: checks - store.writes.length, garbageError: by('garbage')[0]!.error, closedError: by('closed')[0]!.error };
    console.info(`check-faults figures: ${JSON.stringify(figures)}`);

    await servers.stop();
  });
});
