// The round timeline: a waterfall of one scan on a canvas. One bar per check, coloured
// by phase (waiting for a slot, resolving, preCheck, checking, postCheck), grouped by
// team, on one time axis from the scan's start. Timed-out checks are outlined red,
// stuck ones (past their deadline plus grace, still running) red; down results end in
// a red mark. Hover shows the phases' durations and the message; click selects the
// actor. Live and in replay alike (it reads the inspector's views, inspector-feed.js).
//
// Only the rows in sight are drawn (a scroll container holds a spacer as tall as every
// row; the canvas sticks to its top), so 10,000 checks cost what 50 do per frame; rows
// are re-sorted only when actors come or go.
import { duration, el } from './common.js';
import { actorViews, onFeed, pageNow, selectActor, selectedActor, stuckGraceMs } from './inspector-feed.js';

const COLORS = { waiting: '#cfd4d8', started: '#b0bec5', resolving: '#9c7fd0', preCheck: '#4db6ac', checking: '#1e88e5', postCheck: '#ffb300' };
const PHASES = Object.keys(COLORS);
const LABEL_W = 190;
const AXIS_H = 22;
const TEAM_H = 18;
const CHECK_H = 11;

const panel = document.getElementById('round-timeline');
const scroller = panel?.querySelector('.waterfall-scroll');
const canvas = panel?.querySelector('canvas');
const spacer = panel?.querySelector('.waterfall-spacer');
const summary = panel?.querySelector('.waterfall-summary');
const tip = panel?.querySelector('.waterfall-tip');
const ctx = canvas?.getContext('2d');

let rows = []; // { kind: 'team' | 'check', id, y, h }
let scanId;
let structureDirty = true;
let frame = 0;
let hover;
let lastSummary = 0;
let summaryDirty = true;
/** The latest time any shown actor reached (kept as messages come: the axis needs no pass over the rows). */
let latestEnd = 0;
const known = new Set();
/**
 * For the browser tests: draw times of recent frames (ms), the rows, and where a row is
 * drawn (canvas y of its middle, at the current scroll).
 */
const stats = { frames: 0, drawMs: [], rows: 0, rowY: (id) => { const r = rows.find((x) => x.id === id); return r && AXIS_H + r.y - scroller.scrollTop + r.h / 2; } };
globalThis.__roundTimeline = stats;

const isCheck = (a) => a.kind === 'check' || a.kind === 'mass';
const scanOf = (id) => id.split('/', 1)[0];
const finalState = (a) => a.state === 'ended' || a.status !== 'active';

/** The scan shown: the selected actor's, else the newest. */
function currentScan() {
  const sel = selectedActor();
  if (sel && actorViews().has(scanOf(sel))) return scanOf(sel);
  let best;
  for (const a of actorViews().values()) if (a.kind === 'scan' && (!best || a.startedAt > best.startedAt)) best = a;
  return best?.id;
}

function rebuild() {
  structureDirty = false;
  scanId = currentScan();
  const teams = [];
  const checksOf = new Map();
  known.clear();
  for (const a of actorViews().values()) {
    known.add(a.id);
    if (!scanId || scanOf(a.id) !== scanId) continue;
    if (a.kind === 'team') teams.push(a);
    else if (isCheck(a)) {
      let list = checksOf.get(a.parent);
      if (!list) checksOf.set(a.parent, (list = []));
      list.push(a);
    }
  }
  teams.sort((x, y) => (x.team ?? 1e9) - (y.team ?? 1e9) || x.label.localeCompare(y.label));
  rows = [];
  latestEnd = 0;
  summaryDirty = true;
  for (const list of checksOf.values()) for (const c of list) latestEnd = Math.max(latestEnd, reached(c));
  for (const t of teams) latestEnd = Math.max(latestEnd, reached(t));
  let y = 0;
  for (const t of teams) {
    rows.push({ kind: 'team', id: t.id, y, h: TEAM_H });
    y += TEAM_H;
    const checks = (checksOf.get(t.id) ?? []).sort((x, z) => x.startedAt - z.startedAt || x.label.localeCompare(z.label));
    for (const c of checks) {
      rows.push({ kind: 'check', id: c.id, y, h: CHECK_H });
      y += CHECK_H;
    }
  }
  stats.rows = rows.length;
  // A small round takes the height it needs; a large one scrolls in at most 26rem.
  const height = Math.min(416, y + AXIS_H + 2);
  scroller.style.height = canvas.style.height = `${Math.max(120, height)}px`;
  if (spacer) spacer.style.height = `${Math.max(0, y + AXIS_H - Math.max(120, height))}px`;
}

/** When a team's checks could start: its `running` state, else its start. */
function readyAt(team) {
  const running = team?.phases?.find(([s]) => s === 'running');
  return running ? running[1] : team?.startedAt;
}

/** A check's segments: [phase, from, to], waiting for a slot first. */
function segments(a, t) {
  const team = actorViews().get(a.parent);
  const out = [];
  const ready = readyAt(team);
  if (ready !== undefined && a.startedAt - ready > 1) out.push(['waiting', ready, a.startedAt]);
  const phases = a.phases?.length ? a.phases : [['started', a.startedAt], [a.state, a.enteredAt]];
  for (let i = 0; i < phases.length; i++) {
    const [state, from] = phases[i];
    if (state === 'ended') break;
    const to = i + 1 < phases.length ? phases[i + 1][1] : finalState(a) ? from : t;
    out.push([state, from, Math.max(from, to)]);
  }
  return out;
}

const endOf = (a, t) => (finalState(a) ? (a.phases?.[a.phases.length - 1]?.[1] ?? a.enteredAt) : t);
const timedOut = (a) => !!a.outcomes?.some((o) => o.timedOut);
const isDown = (a) => !!a.outcomes?.some((o) => o.error !== null);
const isStuck = (a, t) => !finalState(a) && a.timeoutMs !== undefined && t - a.enteredAt > a.timeoutMs + stuckGraceMs();

function span(scan, t) {
  const t0 = scan?.startedAt ?? t;
  return [t0, Math.max(t0 + 1000, latestEnd, scan && !finalState(scan) ? t : 0)];
}

/** The time `a` last reached (its last state's start): what the axis must show. */
const reached = (a) => a.phases?.[a.phases.length - 1]?.[1] ?? a.enteredAt;

function tickStep(ms, px) {
  const steps = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((s) => (s / ms) * px >= 70) ?? 600_000;
}

function draw() {
  frame = 0;
  if (!ctx) return;
  const started = performance.now();
  if (structureDirty) rebuild();
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const views = actorViews();
  const t = pageNow();
  const scan = views.get(scanId);
  const [t0, t1] = span(scan, t);
  const plotW = Math.max(50, w - LABEL_W - 10);
  const x = (ms) => LABEL_W + ((ms - t0) / (t1 - t0)) * plotW;
  const top = scroller.scrollTop;
  const selected = selectedActor();

  // Rows in sight: binary search for the first.
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].y + rows[mid].h < top) lo = mid + 1;
    else hi = mid;
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let i = lo; i < rows.length; i++) {
    const r = rows[i];
    const y = AXIS_H + r.y - top;
    if (y > h) break;
    const a = views.get(r.id);
    if (!a) continue;
    if (r.id === selected || r.id === hover?.id) {
      ctx.fillStyle = r.id === selected ? '#dbe7fd' : '#eef2f7';
      ctx.fillRect(0, y, w, r.h);
    }
    if (r.kind === 'team') drawTeam(a, y, x, t);
    else drawCheck(a, y, x, t);
  }
  drawAxis(t0, t1, x, w, plotW);
  // The summary reads every row: after changes, at most four times a second.
  if (summaryDirty && t - lastSummary > 250) {
    lastSummary = t;
    summaryDirty = !!scan && !finalState(scan);
    writeSummary(scan, t);
  }
  stats.frames++;
  stats.drawMs.push(performance.now() - started);
  if (stats.drawMs.length > 600) stats.drawMs.splice(0, 300);
  // Running bars grow with the clock.
  if (scan && !finalState(scan)) schedule();
  // Changes inside the 250 ms: written on a later frame.
  else if (summaryDirty) setTimeout(schedule, 260);
}

function drawTeam(team, y, x, t) {
  const end = team.phases && finalState(team) ? team.phases[team.phases.length - 1][1] : t;
  ctx.fillStyle = '#1d1f21';
  ctx.font = 'bold 11px system-ui, sans-serif';
  ctx.fillText(`${team.label}  ${duration(end - team.startedAt)}`, 4, y + TEAM_H / 2);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#6b7075';
  ctx.fillRect(x(team.startedAt), y + TEAM_H - 5, Math.max(1, x(end) - x(team.startedAt)), 3);
}

function drawCheck(a, y, x, t) {
  const stuck = isStuck(a, t);
  const down = isDown(a);
  ctx.fillStyle = stuck ? '#c62828' : down ? '#8a1c1c' : '#1d1f21';
  ctx.fillText(`${stuck ? '⚠ ' : ''}${a.label}`, 14, y + CHECK_H / 2, LABEL_W - 18);
  const by = y + 1.5;
  const bh = CHECK_H - 3;
  for (const [phase, from, to] of segments(a, t)) {
    ctx.fillStyle = COLORS[phase] ?? '#999';
    ctx.fillRect(x(from), by, Math.max(1, x(to) - x(from)), bh);
  }
  const end = endOf(a, t);
  if (stuck) {
    // From the deadline plus grace on, the bar is red.
    const from = a.enteredAt + a.timeoutMs + stuckGraceMs();
    ctx.fillStyle = '#c62828';
    ctx.fillRect(x(Math.min(from, t)), by - 1, Math.max(2, x(t) - x(Math.min(from, t))), bh + 2);
  }
  if (timedOut(a)) {
    ctx.strokeStyle = '#c62828';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x(a.startedAt), by - 0.5, Math.max(2, x(end) - x(a.startedAt)), bh + 1);
  }
  if (down) {
    ctx.fillStyle = '#c62828';
    ctx.fillRect(x(end) + 1, by, 3, bh);
  }
}

function drawAxis(t0, t1, x, w, plotW) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, AXIS_H);
  ctx.strokeStyle = '#d9dbd6';
  ctx.beginPath();
  ctx.moveTo(0, AXIS_H - 0.5);
  ctx.lineTo(w, AXIS_H - 0.5);
  ctx.stroke();
  const step = tickStep(t1 - t0, plotW);
  ctx.fillStyle = '#6b7075';
  ctx.textBaseline = 'middle';
  for (let ms = 0; t0 + ms <= t1; ms += step) {
    const px = Math.round(x(t0 + ms)) + 0.5;
    ctx.fillRect(px, AXIS_H - 5, 1, 5);
    ctx.fillText(ms === 0 ? '0' : duration(ms), px + 2, AXIS_H / 2 - 2);
  }
  ctx.fillText('from scan start', 4, AXIS_H / 2 - 2);
}

/** One line that answers "why did this round take so long?". */
function writeSummary(scan, t) {
  if (!summary) return;
  if (!scan) return void summary.replaceChildren('No scan yet.');
  const views = actorViews();
  let checks = 0;
  let stuck = 0;
  let timed = 0;
  let down = 0;
  const perTeam = new Map();
  for (const r of rows) {
    const a = views.get(r.id);
    if (!a) continue;
    if (r.kind === 'team') {
      perTeam.set(a.id, { team: a, wait: 0, longest: undefined, end: finalState(a) && a.phases ? a.phases[a.phases.length - 1][1] : t });
      continue;
    }
    checks++;
    if (isStuck(a, t)) stuck++;
    if (timedOut(a)) timed++;
    if (isDown(a)) down++;
    const p = perTeam.get(a.parent);
    if (!p) continue;
    const ready = readyAt(p.team);
    if (ready !== undefined) p.wait = Math.max(p.wait, a.startedAt - ready);
    const len = endOf(a, t) - a.startedAt;
    if (!p.longest || len > p.longest.len) p.longest = { a, len };
  }
  let slowest;
  for (const p of perTeam.values()) if (!slowest || p.end - p.team.startedAt > slowest.end - slowest.team.startedAt) slowest = p;
  const total = (finalState(scan) && scan.phases ? scan.phases[scan.phases.length - 1][1] : t) - scan.startedAt;
  const parts = [el('strong', {}, `${scan.label}: ${duration(total)}${finalState(scan) ? '' : ' so far'}`), ` · ${checks} checks · ${down} down`];
  if (timed) parts.push(' · ', el('span', { class: 'bad' }, `${timed} timed out`));
  if (stuck) parts.push(' · ', el('span', { class: 'bad' }, `${stuck} stuck`));
  if (slowest) {
    parts.push(el('br'), `Slowest team: `, el('strong', { class: 'slowest-team' }, slowest.team.label), ` ${duration(slowest.end - slowest.team.startedAt)}`);
    parts.push(`: its last check waited ${duration(slowest.wait)} for a slot`);
    if (slowest.longest) parts.push(`; longest check ${slowest.longest.a.label} ${duration(slowest.longest.len)}`);
  }
  summary.replaceChildren(...parts);
}

function rowAt(offsetY) {
  const y = offsetY - AXIS_H + scroller.scrollTop;
  if (offsetY < AXIS_H) return undefined;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid];
    if (y < r.y) hi = mid - 1;
    else if (y >= r.y + r.h) lo = mid + 1;
    else return r;
  }
  return undefined;
}

function showTip(r, event) {
  const a = actorViews().get(r.id);
  if (!a) return void (tip.hidden = true);
  const t = pageNow();
  const lines = [el('strong', {}, r.kind === 'team' ? a.label : `${a.team !== undefined ? `Team ${a.team} · ` : ''}${a.label}${a.type ? ` (${a.resolvedType ?? a.type})` : ''}`)];
  if (r.kind === 'check') {
    const list = el('table', { class: 'tip-phases' });
    for (const [phase, from, to] of segments(a, t)) list.append(el('tr', {}, el('td', {}, swatch(COLORS[phase]), phase === 'waiting' ? 'waiting for a slot' : phase), el('td', {}, duration(to - from))));
    lines.push(list, el('div', {}, `state ${a.state}${finalState(a) ? '' : ` for ${duration(t - a.enteredAt)}`}`));
    if (isStuck(a, t)) lines.push(el('div', { class: 'bad' }, `stuck: past its ${duration(a.timeoutMs)} deadline`));
    if (timedOut(a)) lines.push(el('div', { class: 'bad' }, 'timed out'));
    for (const o of a.outcomes ?? []) lines.push(el('div', { class: o.error === null ? 'good' : 'bad' }, o.error === null ? `up, ${o.score}/${o.points ?? '?'}` : `down: ${o.error}`));
  } else if (a.counts) {
    lines.push(el('div', {}, `${a.counts.checks} done · ${a.counts.up} up · ${a.counts.down} down`));
  }
  tip.replaceChildren(...lines);
  tip.hidden = false;
  const box = panel.getBoundingClientRect();
  tip.style.left = `${Math.min(event.clientX - box.left + 14, box.width - 280)}px`;
  tip.style.top = `${event.clientY - box.top + 14}px`;
}

/** A colour sample (set through the CSSOM: the CSP allows no inline style attribute). */
function swatch(color, extra = '') {
  const s = el('span', { class: `swatch ${extra}` });
  s.style.background = color;
  return s;
}

function schedule() {
  if (!frame) frame = requestAnimationFrame(draw);
}

if (panel && ctx) {
  onFeed((kind, detail) => {
    if (kind === 'reset' || kind === 'removed') structureDirty = true;
    else if (kind === 'actor' && !known.has(detail.id)) structureDirty = true;
    else if (kind === 'select' && detail && scanOf(detail) !== scanId) structureDirty = true;
    if (kind === 'actor' && scanOf(detail.id) === scanId) latestEnd = Math.max(latestEnd, reached(detail));
    if (kind !== 'select') summaryDirty = true;
    schedule();
  });
  scroller.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', () => {
    structureDirty = true;
    schedule();
  });
  canvas.addEventListener('mousemove', (e) => {
    const r = rowAt(e.offsetY);
    if (r?.id !== hover?.id) schedule();
    hover = r;
    if (r) showTip(r, e);
    else tip.hidden = true;
  });
  canvas.addEventListener('mouseleave', () => {
    hover = undefined;
    tip.hidden = true;
    schedule();
  });
  canvas.addEventListener('click', (e) => {
    const r = rowAt(e.offsetY);
    if (r) selectActor(r.id);
  });
  // A legend of the colours, from the same table the bars use.
  panel.querySelector('.waterfall-legend')?.replaceChildren(
    ...PHASES.map((p) => el('span', { class: 'legend-item' }, swatch(COLORS[p]), p === 'waiting' ? 'waiting for a slot' : p)),
    el('span', { class: 'legend-item' }, swatch('#fff', 'timed-out'), 'timed out'),
    el('span', { class: 'legend-item' }, swatch('#c62828'), 'stuck'),
    el('span', { class: 'legend-item' }, swatch('#c62828', 'down'), 'down'),
  );
  schedule();
}
