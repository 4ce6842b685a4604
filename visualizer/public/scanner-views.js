// The scanner page's pictures: each team's running score and uptime over rounds (uPlot,
// /vendor/uPlot.iife.min.js: the global uPlot), each service's recent rounds as a strip
// of up/down cells, the messages grouped by service with counts, and "check now" opened
// beside its cell with the check's states drawn on its statechart.
import { api, duration, el } from './common.js';
import { drawChart } from './chart-drawing.js';

const PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#283593', '#9e9d24', '#37474f', '#d84315'];
const plots = new Map(); // element id → uPlot

function plot(id, title, rounds, series, yLabel) {
  const box = document.getElementById(id);
  if (!box || !globalThis.uPlot) return;
  plots.get(id)?.destroy();
  const width = Math.max(320, Math.min(640, box.clientWidth || 560));
  const opts = {
    title,
    width,
    height: 220,
    scales: { x: { time: false } },
    axes: [{ label: 'round', incrs: [1, 2, 5, 10, 20, 50, 100] }, { label: yLabel }],
    series: [{ label: 'round' }, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, points: { size: 5 } }))],
  };
  const data = [rounds, ...series.map((s) => s.values)];
  const chart = new globalThis.uPlot(opts, data, box);
  plots.set(id, chart);
}

/** Draws the score and uptime charts and the service strips from GET /api/rounds. */
export function renderRounds(series) {
  const { rounds, teams } = series;
  const panel = document.getElementById('rounds-panel');
  if (!panel) return;
  panel.hidden = rounds.length === 0;
  if (rounds.length === 0) return;
  const scores = teams.map((t) => {
    let sum = t.before;
    return { label: t.name, values: t.perRound.map((r) => (r ? (sum += r.score) : null)) };
  });
  const uptime = teams.map((t) => ({ label: t.name, values: t.perRound.map((r) => (r && r.checks ? Math.round((100 * r.up) / r.checks) : null)) }));
  plot('score-chart', 'Score (running total)', rounds, scores, 'points');
  plot('uptime-chart', 'Services up in the round (%)', rounds, uptime, '%');
  // Strips: one row per team and service, one cell per round, newest on the right.
  const strips = document.getElementById('strips');
  strips.replaceChildren(
    el('tr', {}, el('th', {}, 'team'), el('th', {}, 'service'), el('th', {}, `rounds ${rounds[0]}–${rounds[rounds.length - 1]}`), el('th', {}, 'up')),
    ...teams.flatMap((t) =>
      Object.entries(t.services).map(([service, cells]) => {
        const byRound = new Map(cells.map((c) => [c.round, c]));
        const up = cells.filter((c) => c.state === 'up').length;
        return el('tr', { dataset: { team: t.team, service } },
          el('td', {}, t.name),
          el('td', {}, service),
          el('td', { class: 'strip' }, rounds.map((r) => {
            const c = byRound.get(r);
            return el('span', { class: `strip-cell ${c ? c.state : 'none'}`, title: c ? `round ${r}: ${c.state}${c.error ? ` · ${c.error}` : ''}` : `round ${r}: no check`, dataset: { round: r } });
          })),
          el('td', { class: 'strip-up' }, `${up}/${cells.length}`),
        );
      }),
    ),
  );
}

/** The latest round's messages grouped by service, the services with most messages first. */
export function renderMessages(view) {
  const groups = new Map();
  for (const s of view.services) groups.set(s, []);
  for (const t of view.teams) {
    for (const s of view.services) {
      const c = t.cells[s];
      if (c?.error) groups.get(s).push({ team: t, error: c.error });
    }
  }
  const list = [...groups].filter(([, items]) => items.length > 0).sort((a, b) => b[1].length - a[1].length);
  const box = document.getElementById('messages');
  if (list.length === 0) return void box.replaceChildren(el('p', { class: 'hint' }, 'No errors in this round.'));
  box.replaceChildren(...list.map(([service, items]) => {
    // Same message for several teams: one line with the teams.
    const byText = new Map();
    for (const { team, error } of items) {
      if (!byText.has(error)) byText.set(error, []);
      byText.get(error).push(team);
    }
    return el('details', { class: 'message-group', open: true, dataset: { service } },
      el('summary', {}, el('strong', {}, service), ' ', el('span', { class: 'badge count' }, String(items.length)), ` ${items.length === 1 ? 'team' : 'teams'} down`),
      el('ul', {}, [...byText].map(([error, teams]) => el('li', { dataset: { teams: teams.map((t) => t.team).join(',') } }, el('span', { class: 'who' }, teams.map((t) => t.name).join(', ')), ': ', error))));
  }));
}

let checkChart;
/** The check actor's chart (from GET /api/inspect/charts), fetched once. */
async function checkChartDefinition() {
  checkChart ??= api('/api/inspect/charts').then(({ charts }) => charts.find((c) => c.kind === 'check'), () => undefined);
  return checkChart;
}

/** Opens the check-now card beside `cell` and fills it once `result` (a promise) settles. */
export async function showCheckNow(cell, team, service, result) {
  document.getElementById('check-now-card')?.remove();
  const card = el('aside', { id: 'check-now-card', class: 'check-now-card', role: 'dialog', 'aria-label': `check now: team ${team} ${service}` },
    el('button', { type: 'button', class: 'close', title: 'close', onclick: () => card.remove() }, '×'),
    el('h3', {}, `Check now · team ${team} · ${service}`, el('span', { class: 'hint' }, ' not scored')),
    el('p', { class: 'verdict' }, 'running…'));
  document.body.append(card);
  const box = cell.getBoundingClientRect();
  card.style.left = `${Math.max(8, Math.min(window.scrollX + box.right + 8, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 8))}px`;
  card.style.top = `${window.scrollY + box.top}px`;
  let r;
  try {
    r = await result;
  } catch (err) {
    card.querySelector('.verdict').textContent = `the check could not run: ${err.message}`;
    return;
  }
  const verdict = card.querySelector('.verdict');
  verdict.className = `verdict ${r.error === null ? 'up' : 'down'}`;
  verdict.textContent = `${r.error === null ? 'up' : 'down'} · score ${r.score}${r.timedOut ? ' · timed out' : ''}${r.resolvedType ? ` · ran as ${r.resolvedType}` : ''}`;
  const chartBox = el('div', { class: 'check-now-chart' });
  card.append(chartBox);
  const steps = el('ol', { class: 'check-now-steps' });
  const hooks = { resolving: 'resolveMulti', preCheck: 'preCheck', checking: 'doCheck', postCheck: 'postCheck' };
  for (const state of r.states) {
    const ms = r.timings[hooks[state]];
    steps.append(el('li', { dataset: { state } }, el('strong', {}, state), ms !== undefined ? ` · ${duration(ms)}` : ''));
  }
  if (r.error) steps.append(el('li', { class: 'down' }, el('strong', {}, 'message'), ` · ${r.error}`));
  card.append(el('h4', {}, 'Steps'), steps);
  if (r.logs.length || r.warnings.length) card.append(el('h4', {}, 'Log'), el('pre', { class: 'check-now-log' }, [...r.logs, ...r.warnings.map((w) => `warning: ${w}`)].join('\n')));
  const chart = await checkChartDefinition();
  if (chart && globalThis.ELK) {
    const drawn = await drawChart(chartBox, chart, { counts: false, fit: true });
    drawn.light(r.states[r.states.length - 1], r.states);
  }
}
