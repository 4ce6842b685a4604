/**
 * Stately's inspector (`@statelyai/inspect`, the XState v5 successor of `@xstate/inspect`)
 * works with `createEngine({ inspect })`: a library user who has the network for it
 * sees our actors there. Here without any network: once through `createInspector` with
 * an adapter that keeps what it is sent, once through `createWebSocketInspector` to a
 * WebSocket server on 127.0.0.1 that this test starts. `sanitizeInspection` (its
 * `serialize` option) keeps the services and their credentials out of what leaves the
 * process; without it they would leave (the last test shows that it matters).
 */
import type { AddressInfo } from 'node:net';
import { createInspector, createWebSocketInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { sanitizeInspection } from '../../src/inspection/third-party-inspection.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { assertNoSecrets, secretCompetition } from '../visualizer/support.js';

/** The part of `ws` (a dependency of @statelyai/inspect, without its own types here) the test uses. */
interface WsServer {
  once(event: 'listening', fn: () => void): void;
  on(event: 'connection', fn: (socket: { on(event: 'message', fn: (data: Buffer) => void): void }) => void): void;
  address(): AddressInfo;
  readonly clients: Set<{ terminate(): void }>;
  close(fn: () => void): void;
}
// A variable specifier: `ws` has no type declarations installed.
const WS_MODULE = 'ws';
const { WebSocketServer } = (await import(WS_MODULE)) as unknown as { WebSocketServer: new (options: { host: string; port: number }) => WsServer };

/** What leaves the process: snapshots and events without the services and their credentials. */
const sanitize = { serialize: sanitizeInspection };

const competition = secretCompetition(2, [
  { name: 'www', type: 'web' },
  { name: 'ssh', type: 'web' },
]);

function engineWith(inspect: Parameters<typeof createEngine>[0] extends infer O ? (O extends { inspect?: infer I } ? I : never) : never) {
  return createEngine({ registry: registryOf(recordingType('web', [])), store: new MemoryStore(), inspect });
}

/** Actor names (`scan`, `team`, `serviceCheck`) and check states seen in Stately's events. */
function summarize(events: readonly StatelyInspectionEvent[]) {
  const machines = new Set<string>();
  const checkStates = new Set<string>();
  const eventTypes = new Set<string>();
  for (const e of events) {
    if (e.type === '@xstate.actor') machines.add(e.name);
    if (e.type === '@xstate.event') eventTypes.add(e.event.type);
    if (e.type === '@xstate.snapshot') {
      const snap = e.snapshot as { value?: unknown; machine?: { id?: string } };
      if (typeof snap.value === 'string') checkStates.add(snap.value);
    }
  }
  return { machines, checkStates, eventTypes };
}

describe('@statelyai/inspect as createEngine({ inspect })', () => {
  test('createInspector with an adapter: our scan, team and check actors and their events arrive, no secret', async () => {
    const sent: StatelyInspectionEvent[] = [];
    const inspector = createInspector({ send: (event) => sent.push(event) }, sanitize);
    const engine = engineWith(inspector.inspect);
    const summary = await engine.scan(competition).summary;
    expect(summary.checks).toBe(4);
    // The inspector sends on a timer, after the scan's own turn.
    await expect.poll(() => sent.filter((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'ended').length, { timeout: 5000 }).toBe(4);
    const { checkStates, eventTypes } = summarize(sent);
    // Every actor of the tree registered: one scan, two teams, four checks.
    const actors = sent.filter((e) => e.type === '@xstate.actor');
    expect(actors.length).toBeGreaterThanOrEqual(7);
    for (const state of ['preparing', 'running', 'done', 'ended']) expect(checkStates).toContain(state);
    for (const type of ['check.ended', 'checks.finished']) expect(eventTypes).toContain(type);
    assertNoSecrets(JSON.stringify(sent), "@statelyai/inspect's events");
    await engine.close();
  });

  test('without sanitizeInspection, credentials would reach the inspector (why it is documented)', async () => {
    const sent: StatelyInspectionEvent[] = [];
    const inspector = createInspector({ send: (event) => sent.push(event) });
    const engine = engineWith(inspector.inspect);
    await engine.scan(competition).summary;
    await expect.poll(() => sent.filter((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'ended').length, { timeout: 5000 }).toBe(4);
    expect(() => assertNoSecrets(JSON.stringify(sent), 'unsanitized events')).toThrow(/secret/);
    await engine.close();
  });

  test('createWebSocketInspector to a local WebSocket server: the events arrive over the socket', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const received: StatelyInspectionEvent[] = [];
    const connected = new Promise<void>((resolve) => server.on('connection', (socket) => {
      resolve();
      socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString('utf8')) as StatelyInspectionEvent));
    }));
    const { port } = server.address();
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}`, ...sanitize });
    try {
      await connected;
      const engine = engineWith(inspector.inspect);
      await engine.scan(competition).summary;
      await expect.poll(() => received.filter((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'ended').length, { timeout: 5000 }).toBe(4);
      expect(received.some((e) => e.type === '@xstate.event' && e.event.type === 'check.ended')).toBe(true);
      assertNoSecrets(JSON.stringify(received), 'the WebSocket inspector stream');
      await engine.close();
    } finally {
      inspector.stop();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
