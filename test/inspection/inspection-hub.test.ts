/**
 * The inspection hub on real scans: attached only while watched, late joiners see what
 * is already running, the stream carries only whitelisted fields; stuck/armed rules;
 * the recorder's file round-trips.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import type { ActorView, HubMessage } from '../../src/inspection/hub-messages.js';
import { InspectionHub, type InspectionHubOptions } from '../../src/inspection/inspection-hub.js';
import { readRecording } from '../../src/inspection/read-recording.js';
import { recordInspection } from '../../src/inspection/recorder.js';
import { stuckChecks, timeoutArmed } from '../../src/inspection/stuck-checks.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { assertNoSecrets, secretCompetition } from '../visualizer/support.js';

const registry = registryOf(recordingType('web', []), recordingType('hang', [], { behaviour: { do: 'hang' } }));
const competition = secretCompetition(3, [
  { name: 'www', type: 'web' },
  { name: 'ssh', type: 'web' },
  { name: 'db', type: 'hang', timeoutMs: 30_000 },
]);

/** Counts system.inspect calls and unsubscribes on every scan of `engine`. */
function spyInspect(engine: Engine) {
  const counts = { attached: 0, detached: 0 };
  engine.scans$.subscribe((handle) => {
    const system = handle.actor.system;
    const original = system.inspect.bind(system);
    system.inspect = (observer) => {
      counts.attached++;
      const sub = original(observer);
      return { unsubscribe: () => (counts.detached++, sub.unsubscribe()) };
    };
  });
  return counts;
}

/** Three scans of one web service on each of `teams` teams, watched from the start by a hub. */
async function watchThreeScans(options: InspectionHubOptions, teams: number) {
  const engine = createEngine({ registry: registryOf(recordingType('web', [])), store: new MemoryStore() });
  const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0, ...options });
  const messages: HubMessage[] = [];
  const sub = hub.messages$.subscribe((m) => messages.push(m));
  for (let i = 0; i < 3; i++) await engine.scan(secretCompetition(teams, [{ name: 'www', type: 'web' }])).summary;
  return { hub, messages, sub };
}

describe('inspection hub', () => {
  test('costs nothing unwatched: no inspection observer on a scan nobody watches', async () => {
    const engine = createEngine({ registry, store: new MemoryStore() });
    const counts = spyInspect(engine);
    const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
    const handle = engine.scan(competition);
    handle.stop();
    await handle.summary;
    expect(counts).toEqual({ attached: 0, detached: 0 });
    expect(hub.attachedToEngine).toBe(false);
    expect(hub.since(0)).toBeUndefined();
  });

  test('a late watcher sees the running checks; the last one leaving detaches', async () => {
    const engine = createEngine({ registry, store: new MemoryStore() });
    const counts = spyInspect(engine);
    const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
    const handle = engine.scan(competition);
    const hanging = firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'check.state' && e.state === 'checking' && e.serviceIds.includes('team-3/db'))));
    await hanging;
    // Unwatched, a snapshot is read from the actors' own snapshots.
    const cold = hub.snapshot();
    expect(cold.actors.find((a) => a.id === 'scan-1/team-3/db')).toMatchObject({ kind: 'check', team: 3, service: 'db', type: 'hang', state: 'checking', timeoutMs: 30_000 });
    expect(counts.attached).toBe(0);

    const messages: HubMessage[] = [];
    const sub = hub.messages$.subscribe((m) => messages.push(m));
    expect(counts.attached).toBe(1);
    const first = await firstValueFrom(hub.messages$.pipe(filter((m) => m.kind === 'actor' && m.actor.id === 'scan-1/team-2/db')));
    expect(first.kind === 'actor' && first.actor.state).toBe('checking');
    const views = new Map(hub.snapshot().actors.map((a) => [a.id, a]));
    expect([...views.keys()].filter((id) => id.split('/').length === 3).sort()).toEqual(
      [1, 2, 3].flatMap((t) => ['db', 'ssh', 'www'].map((s) => `scan-1/team-${t}/${s}`)),
    );
    expect(views.get('scan-1/team-1')).toMatchObject({ kind: 'team', parent: 'scan-1', team: 1 });
    expect(views.get('scan-1/team-1/db')?.parent).toBe('scan-1/team-1');

    handle.stop('test over');
    await handle.summary;
    await firstValueFrom(hub.messages$.pipe(filter((m) => m.kind === 'actor' && m.actor.kind === 'scan' && m.actor.status === 'done')));
    const ended = hub.snapshot().actors.find((a) => a.id === 'scan-1/team-1/db')!;
    expect(ended).toMatchObject({ state: 'ended', status: 'done' });
    expect(ended.outcomes?.[0]).toMatchObject({ team: 1, service: 'db', score: 0, error: 'test over' });
    expect(ended.events).toEqual(['check.postCheck', 'check.ended']); // seen since the watcher came
    sub.unsubscribe();
    expect(hub.attachedToEngine).toBe(false);
    expect(counts.detached).toBe(1);
    // Only whitelisted fields, and no secret anywhere.
    const allowed = new Set(['id', 'parent', 'kind', 'label', 'team', 'service', 'type', 'resolvedType', 'state', 'enteredAt', 'startedAt', 'status', 'timeoutMs', 'postCheckGraceMs', 'events', 'timings', 'outcomes', 'round', 'competition', 'counts', 'phases']);
    for (const m of messages) if (m.kind === 'actor') for (const key of Object.keys(m.actor)) expect(allowed).toContain(key);
    assertNoSecrets(JSON.stringify(messages), 'hub messages');
  });

  test("a check's recent events list every step, also those that reached it together", async () => {
    const { hub, sub } = await watchThreeScans({}, 1);
    const check = hub.snapshot().actors.find((a) => a.id === 'scan-3/team-1/www')!;
    // Its hooks answered at once: four steps came as one check.steps event (src/lifecycle/check-worker.ts).
    expect(check.events).toEqual(['xstate.init', 'check.resolving', 'check.preCheck', 'check.checking', 'check.postCheck', 'check.ended']);
    // Every state it went through is timed, though the hub folded them into one view.
    expect(check.phases?.map(([state]) => state)).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
    const times = check.phases!.map(([, at]) => at);
    expect(times[0]).toBe(check.startedAt);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    const team = hub.snapshot().actors.find((a) => a.id === 'scan-3/team-1')!;
    expect(team.phases?.map(([state]) => state)).toEqual(['starting', 'running', 'done'].slice(-team.phases!.length));
    expect(check).toMatchObject({ state: 'ended', status: 'done' });
    sub.unsubscribe();
  });

  test('ended scans beyond keepScans are removed from the views (and the stream says so)', async () => {
    const { hub, messages, sub } = await watchThreeScans({ keepScans: 1 }, 2);
    const removed = () => messages.flatMap((m) => (m.kind === 'removed' ? [m.id] : []));
    await expect.poll(removed, { timeout: 5000, interval: 10 }).toEqual(['scan-1', 'scan-2']);
    expect(new Set(hub.snapshot().actors.map((a) => a.id.split('/')[0]))).toEqual(new Set(['scan-3']));
    sub.unsubscribe();
  });

  test('resuming: messages after a seq while kept, at least bufferSize of them; older ones need a snapshot', async () => {
    const { hub, messages, sub } = await watchThreeScans({ bufferSize: 8 }, 3);
    await expect.poll(() => messages.some((m) => m.kind === 'actor' && m.actor.id === 'scan-3' && m.actor.status === 'done'), { timeout: 5000, interval: 10 }).toBe(true);
    const last = messages.at(-1)!.seq;
    expect(last).toBeGreaterThan(20);
    // The last 8 can always be resumed from; what follows a seq is exactly what was sent after it.
    expect(hub.since(last - 8)).toEqual(messages.slice(-8));
    expect(hub.since(last)).toEqual([]);
    // Long gone: the client must take a snapshot.
    expect(hub.since(1)).toBeUndefined();
    sub.unsubscribe();
  });

  test('stuck: in one state past deadline + grace; armed: non-final and before the deadline', () => {
    const check = (over: Partial<ActorView>): ActorView => ({
      id: 'scan-1/team-1/db', parent: 'scan-1/team-1', kind: 'check', label: 'db', team: 1, service: 'db', type: 'hang',
      state: 'checking', status: 'active', startedAt: 0, enteredAt: 10, timeoutMs: 1000, postCheckGraceMs: 500, events: ['check.checking'], ...over,
    });
    expect(timeoutArmed(check({}), 999)).toBe(true);
    expect(timeoutArmed(check({}), 1000)).toBe(false);
    expect(timeoutArmed(check({ state: 'postCheck', enteredAt: 1000 }), 1400)).toBe(true);
    expect(timeoutArmed(check({ state: 'ended', status: 'done' }), 5)).toBe(false);
    expect(stuckChecks([check({})], 10 + 1000 + 2000)).toEqual([]);
    expect(stuckChecks([check({})], 10 + 1000 + 2001)).toEqual([
      { id: 'scan-1/team-1/db', team: 1, service: 'db', state: 'checking', forMs: 3001, timeoutMs: 1000, lastEvent: 'check.checking', armed: false },
    ]);
    expect(stuckChecks([check({})], 1111, 100)).toHaveLength(1);
    expect(stuckChecks([check({ state: 'ended', status: 'done' })], 1e9)).toEqual([]);
  });

  test('a recording round-trips; a bad line is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-rec-'));
    try {
      const engine = createEngine({ registry: registryOf(recordingType('web', [])), store: new MemoryStore() });
      const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
      const file = join(dir, 'scan.jsonl');
      const recording = recordInspection(hub.messages$, file);
      await engine.scan(secretCompetition(2, [{ name: 'www', type: 'web' }])).summary;
      await firstValueFrom(hub.messages$.pipe(filter((m) => m.kind === 'actor' && m.actor.kind === 'scan' && m.actor.status === 'done')));
      await recording.close();
      const messages = await readRecording(file);
      expect(messages.length).toBe(recording.count());
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => messages[0]!.seq + i));
      assertNoSecrets(readFileSync(file, 'utf8'), 'recording');
      writeFileSync(file, `${JSON.stringify(messages[0])}\nnot json\n`);
      await expect(readRecording(file)).rejects.toThrow(`${file}:2: not a JSON line`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
