// The inspector's live statecharts: scan, team and check, as derived by the server from
// the machine definitions (GET /api/inspect/charts), with the number of actors in each
// state now and the selected actor's state lit. Redrawn at most once per frame.
import { api, el, status } from './common.js';
import { drawChart } from './chart-drawing.js';
import { actorViews, onFeed, selectActor, selectedActor } from './inspector-feed.js';

/** Which actor kinds a chart describes. */
const KINDS = { scan: ['scan'], team: ['team'], check: ['check', 'mass'] };
const panel = document.getElementById('charts');
const drawn = new Map(); // chart kind → what drawChart returned
let frame = 0;

function refresh() {
  frame = 0;
  const counts = new Map(Object.keys(KINDS).map((k) => [k, new Map()]));
  const kindOf = {};
  for (const [chart, kinds] of Object.entries(KINDS)) for (const k of kinds) kindOf[k] = chart;
  for (const a of actorViews().values()) {
    const byState = counts.get(kindOf[a.kind]);
    if (byState) byState.set(a.state, (byState.get(a.state) ?? 0) + 1);
  }
  const selected = actorViews().get(selectedActor());
  for (const [kind, chart] of drawn) {
    chart.setCounts(counts.get(kind) ?? new Map());
    const mine = selected && KINDS[kind]?.includes(selected.kind);
    chart.light(mine ? selected.state : undefined, mine ? (selected.phases ?? []).map(([s]) => s) : []);
  }
}

const schedule = () => {
  if (!frame) frame = requestAnimationFrame(refresh);
};

/** Clicking a state selects the longest-standing actor in it (the one most likely stuck). */
function pickIn(kind, state) {
  let best;
  for (const a of actorViews().values()) if (KINDS[kind].includes(a.kind) && a.state === state && (!best || a.enteredAt < best.enteredAt)) best = a;
  if (best) selectActor(best.id);
}

async function start() {
  if (!panel) return;
  try {
    const { charts } = await api('/api/inspect/charts');
    const row = el('div', { class: 'charts-row' });
    panel.append(row);
    for (const chart of charts) {
      const box = el('figure', { class: 'chart-box', dataset: { chart: chart.kind } }, el('figcaption', {}, `${chart.kind} `, el('span', { class: 'hint' }, `(${chart.machine})`)));
      const body = el('div', { class: 'chart-body' });
      box.append(body);
      row.append(box);
      drawn.set(chart.kind, await drawChart(body, chart, { onState: (state) => pickIn(chart.kind, state) }));
    }
    schedule();
  } catch (err) {
    status(`statecharts: ${err.message}`, true);
  }
}

onFeed(schedule);
start();
