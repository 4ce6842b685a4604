/**
 * Issue 19, point 2 (rest): team variables reach a service's `timeout`, and a team may
 * override a service's host, port, timeout and params (`teams[].overrides.<service>`).
 * Written as an organiser would use it: a competition file read by the config loader,
 * scanned by `createEngine` with a plugin, with and without check threads. The plugin's
 * checks report the port, deadline and params they were given.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, expandService, MemoryStore, parseCompetition, ServiceRegistry, type CheckResult, type Engine } from '../../src/index.js';

const plugin = join(import.meta.dirname, '../fixtures/plugins/team-values-plugin');

const FILE = `name: Overrides
scan: { interval: 30, timeout: 5 }
teams:
  - { number: 1, vars: { dbport: 5432, t: 4 } }
  - { number: 2, name: Bravo, vars: { t: "2.5" }, overrides: { db: { port: 3306 }, web: { port: 8081, params: { path: /x } } } }
  - { number: 3, vars: { dbport: 3306, t: 1, site: c3 }, overrides: { web: { timeout: 3, params: { expect: "{site}" } } } }
services:
  - name: db
    type: by-port
    host: "10.0.{team}.5"
    port: "{dbport}"
    timeout: "{t}"
    points: 4
  - name: web
    type: echo
    host: "10.0.{team}.80"
    port: 80
    params: { path: "/t{team}", expect: none }
  - name: all
    type: mass-echo
    host: "10.0.{team}.9"
    port: 9000
`;

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** An engine with the plugin loaded, and the file read against its registry. */
async function setUp(text: string, checkThreads?: number) {
  const registry = new ServiceRegistry();
  const engine = createEngine({ registry, store: new MemoryStore(), plugins: [plugin], ...(checkThreads ? { checkThreads } : {}) });
  engines.push(engine);
  await engine.ready();
  const { competition } = parseCompetition(text, { registry });
  return { engine, competition };
}

async function scan(text: string, checkThreads?: number) {
  const { engine, competition } = await setUp(text, checkThreads);
  const handle = engine.scan(competition);
  const results: CheckResult[] = [];
  handle.results$.subscribe((r) => results.push(r));
  await handle.summary;
  return (team: number, service: string) => results.find((r) => r.team === team && r.service === service)!;
}

describe.each([
  { mode: 'in the engine thread', threads: undefined, thread: 'main' },
  { mode: 'with check threads', threads: 1, thread: 'worker' },
])('per-team values $mode', ({ threads, thread }) => {
  test('a multi-protocol check picks the type by each team\'s port: template or override', async () => {
    const of = await scan(FILE, threads);
    expect(of(1, 'db')).toMatchObject({ resolvedType: 'echo-pg', score: 4, error: `10.0.1.5:5432 timeoutMs=4000 params={} thread=${thread}` });
    expect(of(2, 'db')).toMatchObject({ resolvedType: 'echo', score: 4, error: `10.0.2.5:3306 timeoutMs=2500 params={} thread=${thread}` });
    expect(of(3, 'db')).toMatchObject({ resolvedType: 'echo', score: 4, error: `10.0.3.5:3306 timeoutMs=1000 params={} thread=${thread}` });
  });

  test("an override of port, params or timeout reaches that team's check only; points stay the same", async () => {
    const of = await scan(FILE, threads);
    expect(of(1, 'web')).toMatchObject({ score: 1, error: `10.0.1.80:80 timeoutMs=5000 params={"path":"/t1","expect":"none"} thread=${thread}` });
    expect(of(2, 'web')).toMatchObject({ score: 1, error: `10.0.2.80:8081 timeoutMs=5000 params={"path":"/x","expect":"none"} thread=${thread}` });
    expect(of(3, 'web')).toMatchObject({ score: 1, error: `10.0.3.80:80 timeoutMs=3000 params={"path":"/t3","expect":"c3"} thread=${thread}` });
  });

  test('a mass check gets every team with its own values', async () => {
    const text = FILE.replace('overrides: { db: { port: 3306 },', 'overrides: { all: { port: 9002, host: "mass.{team}" }, db: { port: 3306 },');
    const { engine, competition } = await setUp(text, threads);
    const handle = engine.scan(competition);
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    await handle.summary;
    const all = results.filter((r) => r.service === 'all').sort((a, b) => a.team - b.team);
    expect(all.map((r) => r.error)).toEqual([
      `10.0.1.9:9000 timeoutMs=5000 params={} thread=${thread}`,
      `mass.2:9002 timeoutMs=5000 params={} thread=${thread}`,
      `10.0.3.9:9000 timeoutMs=5000 params={} thread=${thread}`,
    ]);
  });

  test("a team's timeout (template or override) is the deadline its check runs against", async () => {
    const text = `name: Deadlines
scan: { interval: 30, timeout: 5 }
teams:
  - { number: 1, vars: { t: "0.1" } }
  - { number: 2, vars: { t: 3 } }
  - { number: 3, vars: { t: 3 }, overrides: { wait: { timeout: 0.1 } } }
services:
  - { name: wait, type: slow, host: 127.0.0.1, timeout: "{t}", params: { waitMs: 400 } }
`;
    const of = await scan(text, threads);
    expect(of(1, 'wait')).toMatchObject({ score: 0, timedOut: true });
    expect(of(2, 'wait')).toMatchObject({ score: 1, timedOut: false, error: `127.0.0.1:undefined timeoutMs=3000 params={"waitMs":400} thread=${thread}` });
    expect(of(3, 'wait')).toMatchObject({ score: 0, timedOut: true });
  });
});

test("a team's own params are one object from scan to scan, so a check parses them once", async () => {
  const { competition } = await setUp(FILE);
  const web = competition.services.find((s) => s.name === 'web')!;
  const [one, two, three] = competition.teams;
  for (const team of [one!, two!, three!]) expect(expandService(web, team, competition).params).toBe(expandService(web, team, competition).params);
  expect(expandService(web, two!, competition).params).not.toBe(expandService(web, three!, competition).params);
  // A service without templates or overrides keeps one params object for every team.
  const all = competition.services.find((s) => s.name === 'all')!;
  expect(expandService(all, one!, competition).params).toBe(expandService(all, two!, competition).params);
});

describe('bad per-team values are refused when the file is loaded, naming the team', () => {
  async function errorOf(text: string): Promise<string> {
    const registry = new ServiceRegistry();
    const engine = createEngine({ registry, store: new MemoryStore(), plugins: [plugin] });
    engines.push(engine);
    await engine.ready();
    try {
      parseCompetition(text, { registry });
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('the file was accepted');
  }

  test('a timeout template that is not a timeout for a team names the team, the service and the field', async () => {
    const message = await errorOf(FILE.replace('vars: { t: "2.5" }', 'vars: { t: soon }'));
    expect(message).toBe('competition.yaml: services[0] (db).timeout: expected a number of seconds 0.001..3600 for team 2 (Bravo), got "soon"');
    expect(await errorOf(FILE.replace('t: 4 }', 't: 60 }'))).toBe(
      'competition.yaml: services[0] (db).timeout: expected at most scan.interval (30) for team 1 (Team1), got 60',
    );
  });

  test('an override with a bad port, an unknown field, an unknown service or points', async () => {
    const message = await errorOf(
      FILE.replace('web: { port: 8081, params: { path: /x } }', 'web: { port: 70000, prams: { path: /x } }, wbe: { port: 1 }, all: { points: 9 }'),
    );
    expect(message.split('\n')).toEqual([
      'competition.yaml: teams[1] (Bravo).overrides.web.port: expected an integer 1..65535, got 70000',
      "competition.yaml: teams[1] (Bravo).overrides.web.prams: expected one of the fields host, port, timeout, params (did you mean 'params'?), got an unknown field",
      "competition.yaml: teams[1] (Bravo).overrides.all.points: expected no such override (points are the same for every team, so scores compare; change the service's points), got 9",
      "competition.yaml: teams[1] (Bravo).overrides.wbe: expected one of the services db, web, all (did you mean 'web'?), got \"wbe\", which is not under services",
    ]);
  });

  test('an override template with a variable the team lacks, and a port template that gives no port', async () => {
    const message = await errorOf(FILE.replace('web: { port: 8081,', 'web: { port: "{webport}", host: "{zone}.lan",').replace('vars: { t: "2.5" }', 'vars: { t: "2.5", webport: http }'));
    expect(message.split('\n')).toEqual([
      "competition.yaml: teams[1] (Bravo).overrides.web.host: expected {zone} to be set in this team's vars, got no value",
      'competition.yaml: teams[1] (Bravo).overrides.web.port: expected a port 1..65535 for this team, got "http"',
    ]);
  });

  test("a team's params are checked with the type's own schema", async () => {
    const text = `name: Params
teams:
  - { number: 1 }
  - { number: 2, overrides: { wait: { params: { waitMs: soon, extra: 1 } } } }
services:
  - { name: wait, type: slow, host: 127.0.0.1, params: { waitMs: 10 } }
`;
    expect((await errorOf(text)).split('\n')).toEqual([
      'competition.yaml: teams[1] (Team2).overrides.wait.params.waitMs: expected a number, got "soon"',
      'competition.yaml: teams[1] (Team2).overrides.wait.params.extra: expected one of the fields waitMs, got an unknown field',
    ]);
  });

  test("a team that overrides the field does not need the service's template variables", async () => {
    // Team 2 has no `dbport`: its override of db's port is what it uses.
    await expect(errorOf(FILE)).rejects.toThrow('the file was accepted');
  });
});
