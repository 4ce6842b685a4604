import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { startLinkRelay, startSilentServer } from '../../bench/lib/link-relay.js';
import { cleanStaleNamespaces, createTeamNetwork, listBenchNamespaces, namespacesUnavailable, type TeamNetwork } from '../../bench/lib/netns.js';
import { runEmulatedNetwork, startEmulatedNetwork, type EmulatedNetwork } from '../../bench/scenarios/emulated-network.js';

// The namespace helper of the emulated-network benchmark (scenario 6) makes real
// namespaces, veth pairs and routes: root only. Traffic stays in 198.18.0.0/15 inside
// namespaces this file makes, and on 127.0.0.1.

const unavailable = namespacesUnavailable();
const ownNamespaces = () => listBenchNamespaces().filter((n) => n.startsWith(`skb-${process.pid}-`));

describe.skipIf(unavailable !== null)('network namespaces for benchmarks (root)', () => {
  let net: TeamNetwork | EmulatedNetwork | undefined;
  afterEach(() => {
    net?.close();
    net = undefined;
  });

  test('creates its namespaces with team addresses in 198.18.0.0/15 only, and removes them', () => {
    const made = createTeamNetwork({ teams: 5, namespaces: 2 });
    net = made;
    expect(ownNamespaces().sort()).toEqual(made.namespaces.map((n) => n.name).sort());
    expect(made.namespaces.map((n) => n.teamAddresses.length)).toEqual([3, 2]);
    for (let team = 1; team <= 5; team++) expect(made.addressOf(team)).toMatch(/^198\.1[89]\./);
    // no default route inside: nothing can leave the machine from there
    for (const ns of made.namespaces) expect(made.exec(ns.name, 'ip', ['route', 'show', 'default'])).toBe('');
    made.close();
    expect(ownNamespaces()).toEqual([]);
    expect(made.exec.bind(made, made.namespaces[0]!.name, 'true', [])).toThrow();
  });

  test('a request from this namespace reaches a server in a team namespace over its veth', async () => {
    const made = createTeamNetwork({ teams: 2, namespaces: 1 });
    net = made;
    const script = new URL('../../bench/lib/netns-team-server.ts', import.meta.url);
    const server = made.startNode(made.namespaces[0]!.name, script, [JSON.stringify({ healthyPorts: [8080], silentPorts: [], link: null, keepAliveMs: 1000 })]);
    await new Promise((resolve, reject) => {
      server.stdout!.once('data', resolve);
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const agent = new Agent();
    try {
      const res = await request(`http://${made.addressOf(2)}:8080/`, { dispatcher: agent, signal: AbortSignal.timeout(10_000) });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('ok');
    } finally {
      await agent.destroy();
    }
    made.close();
    expect(ownNamespaces()).toEqual([]);
    expect(server.killed || server.exitCode !== null || server.signalCode !== null).toBe(true);
  });

  test('stale namespaces of a process that is gone are removed, live ones kept', () => {
    const made = createTeamNetwork({ teams: 1 });
    net = made;
    // a pid beyond pid_max (at most 2^22) belongs to no process
    const dead = 'skb-99999999-0';
    execFileSync('ip', ['netns', 'add', dead]);
    expect(cleanStaleNamespaces()).toEqual([dead]);
    expect(listBenchNamespaces()).not.toContain(dead);
    expect(ownNamespaces()).toEqual([made.namespaces[0]!.name]);
  });

  test('the emulated network: healthy services answer through the slow link, black-holed ones never, on both sides', async () => {
    const network = await startEmulatedNetwork({ teams: 4, services: 3, blackHoled: 1, namespaces: 2 });
    net = network;
    for (const mode of ['engine', 'bare'] as const) {
      const r = await runEmulatedNetwork({ layout: network.layout, mode, concurrency: 12, timeoutMs: 1500, store: 'memory' });
      expect(r).toMatchObject({ mode, checks: 12, ok: 8, healthyDown: 0, blackHoledUp: 0 });
      // every round waited for the black holes: at least the probe's limit of 1.35 s
      expect(r.wallMs, mode).toBeGreaterThanOrEqual(1300);
      expect(r.firstRoundMs, mode).toBeGreaterThanOrEqual(1300);
    }
  });
});

describe('link relay (loopback)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  const listening = (server: Server) =>
    new Promise<number>((resolve) => {
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const roundTrip = (port: number) =>
    new Promise<{ ms: number; answer: string }>((resolve, reject) => {
      const t0 = performance.now();
      const socket = connect(port, '127.0.0.1', () => socket.end('ping'));
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve({ ms: performance.now() - t0, answer }));
    });

  test('holds each answer by the connection delay, and a "lost" connection by the hold time', async () => {
    const echo = await listening(createServer({ allowHalfOpen: true }, (s) => s.on('data', (d: Buffer) => s.end(`pong ${d.toString()}`))));
    const slow = await startLinkRelay(0, echo, { delayMs: 120, jitterMs: 0, lossShare: 0, lossHoldMs: 0 });
    servers.push(slow.server);
    const port = (slow.server.address() as { port: number }).port;
    const a = await roundTrip(port);
    expect(a.answer).toBe('pong ping');
    expect(a.ms).toBeGreaterThanOrEqual(115);

    const lost = await startLinkRelay(0, echo, { delayMs: 0, jitterMs: 0, lossShare: 1, lossHoldMs: 300 });
    servers.push(lost.server);
    const b = await roundTrip((lost.server.address() as { port: number }).port);
    expect(b.answer).toBe('pong ping');
    expect(b.ms).toBeGreaterThanOrEqual(290);
    expect(lost.counts).toEqual({ connections: 1, held: 1 });
  });

  test('a silent server accepts and never answers', async () => {
    const silent = await startSilentServer(0);
    servers.push(silent);
    const port = (silent.address() as { port: number }).port;
    const got = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('hello?'));
      socket.on('data', () => resolve('answered'));
      setTimeout(() => {
        socket.destroy();
        resolve('silent');
      }, 300);
    });
    expect(got).toBe('silent');
  });
});
