/**
 * Scenario 1: engine overhead against bare probes. The same real HTTP checks of N teams
 * × S services against local servers, (a) through the engine with a store, every result
 * persisted, and (b) as a bare loop making the same undici requests (a fresh Agent per
 * request, as the http check does) with the same concurrency and nothing else.
 *
 * Each side runs two rounds in one process: the first in a fresh process (cold: nothing
 * compiled yet, as in a competition's first round) and the second warm (every later
 * round). Both are reported, with the CPU time the process used in each round (every
 * thread: the engine's, its check threads, V8's compiler and GC helpers).
 */
import { Agent, request } from 'undici';
import { createEngine } from '../../src/engine.js';
import { benchRegistry } from '../lib/noop-registry.js';
import { openBenchStore, type StoreKind } from '../lib/stores.js';
import { startTeamServers, teamAddress } from '../lib/team-servers.js';
import { timed, type Round } from '../lib/timed-round.js';

/** Parameters of an overhead run. */
export interface HttpOverheadParams {
  readonly teams: number;
  readonly services: number;
  readonly concurrency: number;
  readonly mode: 'engine' | 'bare';
  readonly store: StoreKind;
  /** The engine's `checkThreads` (engine mode). Default 0. */
  readonly threads?: number;
  /** The team servers' keep-alive timeout (team-servers.ts). Default 1,000 ms. */
  readonly serverKeepAliveMs?: number;
}

/** What an overhead run measured. */
export interface HttpOverheadResult {
  readonly mode: 'engine' | 'bare';
  /** The second round (warm). */
  readonly wallMs: number;
  /** The first round, in a fresh process (cold). */
  readonly firstRoundMs: number;
  /** CPU time of the whole process during the second round, ms. */
  readonly cpuMs: number;
  /** CPU time of the whole process during the first round, ms. */
  readonly firstRoundCpuMs: number;
  readonly checks: number;
  readonly ok: number;
}

/** The bare side: the same requests, a simple pool of `concurrency` workers. */
async function bareScan(teams: number, services: number, port: number, concurrency: number): Promise<number> {
  const total = teams * services;
  let next = 0;
  let ok = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const team = Math.floor(i / services) + 1;
      const agent = new Agent({ connect: { rejectUnauthorized: false } });
      try {
        const res = await request(`http://${teamAddress(team)}:${port}/`, { dispatcher: agent, signal: AbortSignal.timeout(10_000) });
        const body = await res.body.text();
        if (res.statusCode === 200 && body.includes('ok')) ok++;
      } finally {
        await agent.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

/** The result of two rounds. */
function resultOf(mode: 'engine' | 'bare', rounds: readonly Round[], checks: number, ok: number): HttpOverheadResult {
  const [first, second] = rounds as [Round, Round];
  return { mode, wallMs: second.wallMs, firstRoundMs: first.wallMs, cpuMs: second.cpuMs, firstRoundCpuMs: first.cpuMs, checks, ok };
}

/** Runs one side of the comparison. */
export async function runHttpOverhead(params: HttpOverheadParams): Promise<HttpOverheadResult> {
  const servers = await startTeamServers(params.teams, params.serverKeepAliveMs);
  const checks = params.teams * params.services;
  try {
    if (params.mode === 'bare') {
      const rounds: Round[] = [];
      let ok = 0;
      for (let round = 0; round < 2; round++) {
        const { round: r, value } = await timed(() => bareScan(params.teams, params.services, servers.port, params.concurrency));
        rounds.push(r);
        ok = value;
      }
      return resultOf('bare', rounds, checks, ok);
    }
    const registry = await benchRegistry();
    const { store, dispose } = await openBenchStore(params.store);
    try {
      const engine = createEngine({ registry, store, concurrency: params.concurrency, checkThreads: params.threads ?? 0 });
      await engine.ready();
      const competition = {
        name: 'bench-http',
        teams: Array.from({ length: params.teams }, (_, i) => ({ number: i + 1, vars: { ip: teamAddress(i + 1) } })),
        services: Array.from({ length: params.services }, (_, i) => ({
          name: `web${i}`,
          type: 'http',
          host: '{ip}',
          port: servers.port,
          timeoutMs: 10_000,
          params: { path: '/', expect: { contains: 'ok' } },
        })),
      };
      const rounds: Round[] = [];
      let up = 0;
      for (let round = 0; round < 2; round++) {
        const { round: r, value } = await timed(() => engine.scan(competition).summary);
        rounds.push(r);
        up = value.up;
      }
      await engine.close();
      return resultOf('engine', rounds, checks, up);
    } finally {
      await dispose();
    }
  } finally {
    await servers.close();
  }
}
