/**
 * Scenario 6: the engine against bare probes on an emulated network. Team hosts live in
 * network namespaces the benchmark makes (bench/lib/netns.ts), reached over veth links
 * with latency and loss, and a share of every team's services is black-holed, as a red
 * team does. The same HTTP checks run (a) through the engine with a store, every result
 * persisted, and (b) as a bare loop of the same undici requests with the same
 * concurrency, each side in a fresh process, on the same network.
 *
 * The link: `tc qdisc … netem delay 20ms 5ms loss 1%` on each veth when the kernel has
 * netem, else a relay in each namespace (bench/lib/link-relay.ts). Black-holed ports:
 * `iptables -j DROP` inside the namespace when iptables is installed (SYNs vanish),
 * else a server that accepts and never answers. The result says which ran.
 *
 * The parent (bench/run.ts) makes the network once with `startEmulatedNetwork` and
 * passes its layout to each side's process (`runEmulatedNetwork`).
 */
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createEngine } from '../../src/engine.js';
import { DEFAULT_LINK } from '../lib/link-relay.js';
import { createTeamNetwork, iptablesAvailable, type TeamNetwork } from '../lib/netns.js';
import type { TeamServerPlan } from '../lib/netns-team-server.js';
import { benchRegistry } from '../lib/noop-registry.js';
import { openBenchStore, type StoreKind } from '../lib/stores.js';
import { timed, type Round } from '../lib/timed-round.js';

/** Where the namespaced services are, as each side's process needs it. */
export interface NetworkLayout {
  /** Team addresses, team 1 first. */
  readonly addresses: readonly string[];
  /** Service i listens on `firstPort + i`. */
  readonly firstPort: number;
  readonly services: number;
  /** The last `blackHoled` services of every team never answer. */
  readonly blackHoled: number;
}

/** Parameters of one side's run. */
export interface EmulatedNetworkParams {
  readonly layout: NetworkLayout;
  readonly mode: 'engine' | 'bare';
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly store: StoreKind;
  /** The engine's `checkThreads`. Default 1. */
  readonly threads?: number;
}

/** What one side's run measured (two rounds in one process, as scenario 1). */
export interface EmulatedNetworkResult {
  readonly mode: 'engine' | 'bare';
  /** The second round (warm). */
  readonly wallMs: number;
  /** The first round, in a fresh process. */
  readonly firstRoundMs: number;
  readonly cpuMs: number;
  readonly firstRoundCpuMs: number;
  readonly checks: number;
  /** Healthy services found up, in the second round. */
  readonly ok: number;
  /** Second round: from its start to its last check's start (how long starting 2,000 checks took). */
  readonly lastCheckStartMs: number;
  /** Second round: from its start to its last check's end (the rest of the round is writing and closing). */
  readonly lastCheckEndMs: number;
  /** Healthy services scored down, over both rounds: each one a false alarm. */
  readonly healthyDown: number;
  /** The three commonest reasons healthy services were scored down ("12× no HTTP answer…"). */
  readonly downReasons: string;
  /** Black-holed services scored up, over both rounds (must be 0). */
  readonly blackHoledUp: number;
  /**
   * Engine: checks over both rounds ended by the engine's deadline rather than by the
   * probe's own earlier limit (0 for the bare loop, which has no second deadline).
   */
  readonly engineTimedOut: number;
}

/** A probe's own limit inside a check's timeout (src/probes/tcp-deadline.ts): the bare loop gives its requests the same. */
export function probeLimitMs(timeoutMs: number): number {
  return Math.floor(timeoutMs - Math.min(250, timeoutMs * 0.1));
}

/** Port of service `i` and whether it is black-holed. */
function serviceAt(layout: NetworkLayout, i: number): { port: number; healthy: boolean } {
  return { port: layout.firstPort + i, healthy: i < layout.services - layout.blackHoled };
}

interface Tally {
  ok: number;
  healthyDown: number;
  blackHoledUp: number;
  /** Epoch ms: when the round's last check started, and when its last one ended. */
  lastStart: number;
  lastEnd: number;
  /** Why healthy services were scored down (addresses and numbers blanked), with counts. */
  readonly downReasons: Map<string, number>;
}

const CHECK_DEADLINE = new Error('the check timed out');

/**
 * The bare side: the same requests as the http check (a fresh Agent each, the probe's
 * limit on connect and request), `concurrency` at once, each ended at the check's
 * timeout at the latest.
 */
async function bareScan(layout: NetworkLayout, concurrency: number, timeoutMs: number, tally: Tally): Promise<void> {
  const total = layout.addresses.length * layout.services;
  const limitMs = probeLimitMs(timeoutMs);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const address = layout.addresses[Math.floor(i / layout.services)]!;
      const { port, healthy } = serviceAt(layout, i % layout.services);
      const agent = new Agent({ connect: { rejectUnauthorized: false, timeout: limitMs }, connections: 1 });
      // The check's own deadline, as the engine's: undici does not end a request on its
      // signal while the connection is still being made (nodejs/undici#386), and its
      // connect timeout runs on coarse timers that fire late under load.
      const deadline = setTimeout(() => void agent.destroy(CHECK_DEADLINE).catch(() => undefined), timeoutMs);
      let up = false;
      let why: string | null = null;
      const startedAt = Date.now();
      try {
        const res = await request(`http://${address}:${port}/`, { dispatcher: agent, signal: AbortSignal.timeout(limitMs) });
        const body = await res.body.text();
        up = res.statusCode === 200 && body.includes('ok');
      } catch (err) {
        up = false;
        why = (err as { code?: string }).code ?? (err as Error).message;
      } finally {
        clearTimeout(deadline);
        await agent.destroy().catch(() => undefined);
      }
      count(tally, healthy, up, startedAt, Date.now(), why);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

function count(tally: Tally, healthy: boolean, up: boolean, startedAt: number, endedAt: number, why: string | null): void {
  if (healthy && !up) {
    const reason = (why ?? 'wrong answer').replace(/\d+(\.\d+)*/g, 'N');
    tally.downReasons.set(reason, (tally.downReasons.get(reason) ?? 0) + 1);
  }
  tally.lastStart = Math.max(tally.lastStart, startedAt);
  tally.lastEnd = Math.max(tally.lastEnd, endedAt);
  if (healthy && up) tally.ok++;
  if (healthy && !up) tally.healthyDown++;
  if (!healthy && up) tally.blackHoledUp++;
}

/** A round (timed-round.ts) with, from its start, when its last check started and ended. */
interface NetworkRound extends Round {
  readonly lastStartMs: number;
  readonly lastEndMs: number;
}

/** Times one round (timed-round.ts); `tally`'s ok count and last start/end are reset for it. */
async function timedRound(tally: Tally, scan: () => Promise<unknown>): Promise<NetworkRound> {
  Object.assign(tally, { ok: 0, lastStart: 0, lastEnd: 0 });
  const epoch0 = Date.now();
  const { round } = await timed(scan);
  return { ...round, lastStartMs: tally.lastStart - epoch0, lastEndMs: tally.lastEnd - epoch0 };
}

/** Runs one side: two rounds against the namespaced hosts. */
export async function runEmulatedNetwork(params: EmulatedNetworkParams): Promise<EmulatedNetworkResult> {
  const { layout } = params;
  const checks = layout.addresses.length * layout.services;
  const rounds: NetworkRound[] = [];
  const tally: Tally = { ok: 0, healthyDown: 0, blackHoledUp: 0, lastStart: 0, lastEnd: 0, downReasons: new Map() };
  let okLast = 0;
  let engineTimedOut = 0;
  if (params.mode === 'bare') {
    for (let round = 0; round < 2; round++) {
      rounds.push(await timedRound(tally, () => bareScan(layout, params.concurrency, params.timeoutMs, tally)));
      okLast = tally.ok;
    }
  } else {
    const registry = await benchRegistry();
    const { store, dispose } = await openBenchStore(params.store);
    try {
      const engine = createEngine({ registry, store, concurrency: params.concurrency, checkThreads: params.threads ?? 1 });
      await engine.ready();
      const competition = {
        name: 'bench-network',
        teams: layout.addresses.map((ip, i) => ({ number: i + 1, vars: { ip } })),
        services: Array.from({ length: layout.services }, (_, i) => ({
          name: `web${i}`,
          type: 'http',
          host: '{ip}',
          port: serviceAt(layout, i).port,
          timeoutMs: params.timeoutMs,
          params: { path: '/', expect: { contains: 'ok' } },
        })),
      };
      for (let round = 0; round < 2; round++) {
        rounds.push(
          await timedRound(tally, async () => {
            const scan = engine.scan(competition);
            scan.results$.subscribe((r) => count(tally, serviceAt(layout, Number(r.service.slice(3))).healthy, r.error === null, r.startedAt, r.finishedAt, r.error));
            engineTimedOut += (await scan.summary).timedOut;
          }),
        );
        okLast = tally.ok;
      }
      await engine.close();
    } finally {
      await dispose();
    }
  }
  const [first, second] = rounds as [NetworkRound, NetworkRound];
  return {
    mode: params.mode,
    wallMs: second.wallMs,
    firstRoundMs: first.wallMs,
    cpuMs: second.cpuMs,
    firstRoundCpuMs: first.cpuMs,
    checks,
    ok: okLast,
    lastCheckStartMs: second.lastStartMs,
    lastCheckEndMs: second.lastEndMs,
    healthyDown: tally.healthyDown,
    downReasons: [...tally.downReasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, n]) => `${n}× ${reason}`).join('; '),
    blackHoledUp: tally.blackHoledUp,
    engineTimedOut,
  };
}

/** The network of a run: its layout, which emulation ran, and how to remove it. */
export interface EmulatedNetwork {
  readonly layout: NetworkLayout;
  /** "netem delay 20ms 5ms loss 1%" or the relay's equivalent. */
  readonly link: string;
  /** "iptables DROP" or "a server that accepts and never answers". */
  readonly blackHole: string;
  readonly namespaces: number;
  close(): void;
}

/** How to build the network. */
export interface EmulatedNetworkOptions {
  readonly teams: number;
  readonly services: number;
  readonly blackHoled: number;
  readonly namespaces: number;
  readonly firstPort?: number;
}

const NETEM = ['delay', '20ms', '5ms', 'loss', '1%'] as const;

/** Tries netem on every root-side veth; false (nothing applied) when the kernel has none. */
function applyNetem(net: TeamNetwork): boolean {
  for (const ns of net.namespaces) {
    try {
      // the root end of the pair: requests and SYNs towards the team hosts leave through it
      execFileSync('tc', ['qdisc', 'add', 'dev', ns.name, 'root', 'netem', ...NETEM], { stdio: 'pipe' });
    } catch {
      return false;
    }
  }
  return true;
}

/** Waits for a namespace server's ready line (10 s at most). */
function ready(child: ReturnType<TeamNetwork['startNode']>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`team server in ${name} not ready within 10 s`)), 10_000);
    child.once('exit', (code) => reject(new Error(`team server in ${name} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Makes the namespaces, the link emulation, the black holes and one server process per
 * namespace. Throws (having removed all of it) when a step fails.
 */
export async function startEmulatedNetwork(options: EmulatedNetworkOptions): Promise<EmulatedNetwork> {
  const net = createTeamNetwork({ teams: options.teams, namespaces: options.namespaces });
  try {
    const firstPort = options.firstPort ?? 8000;
    const healthy = options.services - options.blackHoled;
    const ports = Array.from({ length: options.services }, (_, i) => firstPort + i);
    const netem = applyNetem(net);
    const dropping = options.blackHoled > 0 && iptablesAvailable();
    if (dropping) {
      for (const ns of net.namespaces) {
        net.exec(ns.name, 'iptables', ['-A', 'INPUT', '-p', 'tcp', '--dport', `${firstPort + healthy}:${firstPort + options.services - 1}`, '-j', 'DROP']);
      }
    }
    const plan: TeamServerPlan = {
      healthyPorts: ports.slice(0, healthy),
      silentPorts: dropping ? [] : ports.slice(healthy),
      link: netem ? null : DEFAULT_LINK,
      keepAliveMs: 1000,
    };
    const script = new URL('../lib/netns-team-server.js', import.meta.url);
    await Promise.all(net.namespaces.map((ns) => ready(net.startNode(ns.name, script, [JSON.stringify(plan)]), ns.name)));
    const l = DEFAULT_LINK;
    return {
      layout: { addresses: Array.from({ length: options.teams }, (_, i) => net.addressOf(i + 1)), firstPort, services: options.services, blackHoled: options.blackHoled },
      link: netem
        ? `netem ${NETEM.join(' ')}`
        : `relay (no netem in this kernel): ${l.delayMs}±${l.jitterMs} ms before each answer chunk, ${l.lossShare * 100}% of connections held ${l.lossHoldMs / 1000} s`,
      blackHole: dropping ? 'iptables DROP (SYNs vanish)' : 'a server that accepts and never answers (no iptables)',
      namespaces: net.namespaces.length,
      close: () => net.close(),
    };
  } catch (err) {
    net.close();
    throw err;
  }
}
