import { afterEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { CHECK_TRANSITIONS } from '../../machines/checkActorLogic.js';
import { scanMachine } from '../../machines/scanMachine.js';
import { teamMachine } from '../../machines/teamMachine.js';
import { engineCharts } from '../../src/engine.js';
import { chartOfMachine, chartOfTable, type ActorChart } from '../../src/inspection/actor-charts.js';
import { CHECK_STATES } from '../../src/lifecycle/states.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { bearer, http, TOKENS, SECRETS } from '../visualizer/support.js';

const arrows = (chart: ActorChart) => chart.transitions.map((t) => `${t.from} -${t.label}-> ${t.to}`).sort();

describe('actor charts from the machine definitions', () => {
  it('reads the team machine: its states, invoke done/error arrows and the root transition', () => {
    const chart = chartOfMachine('team', teamMachine);
    expect(chart.initial).toBe('starting');
    expect(chart.states.map((s) => s.id)).toEqual(['starting', 'running', 'done', 'stopped']);
    expect(chart.states.filter((s) => s.final).map((s) => s.id)).toEqual(['done', 'stopped']);
    expect(chart.states.find((s) => s.id === 'starting')?.invokes).toEqual(['prepareChecks']);
    expect(arrows(chart)).toEqual([
      '* -team.stop-> stopped',
      'running -checks.finished-> done',
      'starting -prepareChecks done-> running',
      'starting -prepareChecks error-> done',
    ]);
  });

  it('reads the scan machine, with its guarded always transition and no arrow for targetless ones', () => {
    const chart = chartOfMachine('scan', scanMachine);
    expect(chart.states.map((s) => s.id)).toEqual(['preparing', 'running', 'finishing', 'done', 'failed']);
    expect(chart.transitions).toContainEqual({ from: 'running', to: 'finishing', label: 'always', guarded: true });
    // `xstate.done.actor.*` on running only counts teams: no state change, no arrow.
    expect(chart.transitions.filter((t) => t.from === 'running')).toHaveLength(1);
  });

  it('reads the check table: every lifecycle state, ended final', () => {
    const chart = chartOfTable('check', 'serviceCheck', CHECK_TRANSITIONS);
    expect(chart.states.map((s) => s.id)).toEqual([...CHECK_STATES]);
    expect(chart.initial).toBe('started');
    expect(chart.states.filter((s) => s.final).map((s) => s.id)).toEqual(['ended']);
    expect(arrows(chart)).toContain('preCheck -check.postCheck-> postCheck');
  });

  it('follows a changed definition: an extra state, a nested state, a new event', () => {
    const changed = createMachine({
      id: 'team',
      initial: 'starting',
      states: {
        starting: { on: { go: 'running' } },
        running: { initial: 'fast', states: { fast: { on: { slow: 'slow' } }, slow: {} }, on: { pause: 'paused' } },
        paused: { on: { resume: 'running' } },
        done: { type: 'final' },
      },
    });
    const chart = chartOfMachine('team', changed);
    expect(chart.states.map((s) => s.id)).toEqual(['starting', 'running', 'running.fast', 'running.slow', 'paused', 'done']);
    expect(chart.states.find((s) => s.id === 'running.slow')?.parent).toBe('running');
    expect(arrows(chart)).toEqual(['paused -resume-> running', 'running -pause-> paused', 'running.fast -slow-> running.slow', 'starting -go-> running']);
  });
});

describe('GET /api/inspect/charts', () => {
  let web: WebServer | undefined;
  afterEach(async () => {
    await web?.close();
    web = undefined;
  });

  it('serves the engine charts to any token', async () => {
    web = await startWebServer({ tokens: TOKENS, charts: engineCharts() });
    const res = await http(`${web.url}/api/inspect/charts`, { headers: bearer(SECRETS.team1Token) });
    expect(res.status).toBe(200);
    const { charts } = JSON.parse(res.body) as { charts: ActorChart[] };
    expect(charts.map((c) => c.kind)).toEqual(['scan', 'team', 'check']);
    expect(charts[1]!.states.map((s) => s.id)).toContain('stopped');
    expect((await http(`${web.url}/api/inspect/charts`)).status).toBe(401);
  });

  it('changes when the machine definition changes, with no change to the server or the page', async () => {
    const extended = createMachine({
      ...teamMachine.config,
      states: { ...teamMachine.config.states, paused: { on: { 'team.resume': 'running' } } },
    } as Parameters<typeof createMachine>[0]);
    web = await startWebServer({ tokens: TOKENS, charts: [chartOfMachine('team', extended)] });
    const { charts } = JSON.parse((await http(`${web.url}/api/inspect/charts`, { headers: bearer(SECRETS.adminToken) })).body) as { charts: ActorChart[] };
    expect(charts[0]!.states.map((s) => s.id)).toEqual(['starting', 'running', 'done', 'stopped', 'paused']);
    expect(charts[0]!.transitions).toContainEqual({ from: 'paused', to: 'running', label: 'team.resume', guarded: false });
  });
});
