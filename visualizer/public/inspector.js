// The inspector: actor tree (scan → teams → checks), lifecycle counts, stuck checks and
// the selected actor's details. Live over SSE, or stepping through a recording (replay).
// Updates are batched per animation frame and touch only the rows that changed.
import { api, duration, el, status, whoami } from './common.js';
import { watchScanners } from './scanners-panel.js';
import { connectFeed, feedChanged } from './inspector-feed.js';

const STATES = ['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended'];
const isCheck = (a) => a.kind === 'check' || a.kind === 'mass';
const isFinal = (a) => a.state === 'ended' || a.status !== 'active';

const views = new Map(); // id → ActorView
const rows = new Map(); // id → { row, state, time, children? }
const dirty = new Set();
let skew = 0; // server clock - local clock
let replayNow; // the clock in replay mode
let graceMs = 2000;
let selected;
let frame = 0;
let nextRound = null; // between rounds: { at, round? } from the loop running rounds
let health = null; // the scanner about itself: { fitWarning?, lastRound?: { round, loopLag, rerun, overloaded } }

const now = () => (replayNow !== undefined ? replayNow : Date.now() + skew);
// The statecharts and the round timeline (their own files) read the same views.
connectFeed({ views, now, select: (id) => select(id), graceMs: () => graceMs });

// ---- lifecycle diagram -------------------------------------------------------------
const counts = {};
for (const s of STATES) {
  const n = el('span', { class: 'count', id: `count-${s}` }, '0');
  counts[s] = n;
  document.getElementById('diagram').append(el('li', { class: `phase phase-${s}`, dataset: { state: s } }, el('span', { class: 'name' }, s), n));
}

// ---- batching ----------------------------------------------------------------------
function touch(id) {
  dirty.add(id);
  if (!frame) frame = requestAnimationFrame(render);
}

// Rows are updated within a time budget per frame; the rest wait for the next frame, so
// a burst (a scan of 2,000 checks starting) never freezes the page.
const FRAME_BUDGET_MS = 12;

function render() {
  frame = 0;
  const start = performance.now();
  for (const id of dirty) {
    renderRow(id);
    dirty.delete(id);
    if (performance.now() - start > FRAME_BUDGET_MS) break;
  }
  if (dirty.size > 0) frame = requestAnimationFrame(render);
  renderCounts();
  renderStuck();
  renderNextRound();
  if (selected) renderDetail();
}

// Between rounds: when the next one starts (refreshed with the times, once a second).
function renderNextRound() {
  const box = document.getElementById('next-round');
  box.hidden = !nextRound;
  if (!nextRound) return;
  const round = nextRound.round !== undefined ? `Round ${nextRound.round}` : 'The next round';
  const secs = Math.max(0, Math.ceil((nextRound.at - now()) / 1000));
  box.textContent = `${round} starts at ${new Date(nextRound.at).toLocaleTimeString()}, in ${secs} s.`;
}

// The scanner's own health: a round that may not fit its interval, the last round's event-loop lag.
function renderHealth() {
  const warning = document.getElementById('health-warning');
  const lag = document.getElementById('health-lag');
  warning.hidden = !health?.fitWarning;
  warning.textContent = health?.fitWarning ? `Warning: ${health.fitWarning}` : '';
  const last = health?.lastRound;
  lag.hidden = !last;
  if (!last) return;
  const { p50Ms, p99Ms, maxMs } = last.loopLag;
  const overload = last.rerun + last.overloaded > 0 ? `; scanner overloaded: ${last.rerun} re-run, ${last.overloaded} not scored` : '';
  lag.textContent = `Scanner event-loop lag in round ${last.round}: p50 ${p50Ms} ms, p99 ${p99Ms} ms, max ${maxMs} ms${overload}.`;
}

function resetAll(list) {
  views.clear();
  for (const { row } of rows.values()) row.remove();
  rows.clear();
  document.getElementById('tree').replaceChildren();
  for (const a of list) views.set(a.id, a);
  // Parents before children.
  const order = [...views.values()].sort((a, b) => depth(a) - depth(b));
  for (const a of order) touch(a.id);
  if (views.size === 0) touch('');
  feedChanged('reset');
}

const depth = (a) => (a.parent === null ? 0 : a.id.split('/').length - 1);

function upsert(actor) {
  views.set(actor.id, actor);
  touch(actor.id);
  feedChanged('actor', actor);
}

function remove(id) {
  for (const key of [...views.keys()]) {
    if (key === id || key.startsWith(`${id}/`)) {
      views.delete(key);
      rows.get(key)?.row.remove();
      rows.delete(key);
    }
  }
  if (selected && !views.has(selected)) selected = undefined;
  touch('');
  feedChanged('removed', id);
}

// ---- tree rows ---------------------------------------------------------------------
function container(a) {
  if (a.parent === null) return document.getElementById('tree');
  let parent = rows.get(a.parent);
  if (!parent) {
    const p = views.get(a.parent);
    if (!p) return undefined;
    renderRow(p.id);
    parent = rows.get(a.parent);
  }
  return parent?.children;
}

function renderRow(id) {
  const a = views.get(id);
  if (!a) return;
  let r = rows.get(id);
  if (!r) {
    const parent = container(a);
    if (!parent) return;
    const state = el('span', { class: 'state' });
    const time = el('span', { class: 'time' });
    const counts = el('span', { class: 'counts' });
    const label = el('button', { class: 'label', type: 'button', onclick: () => select(id) }, a.label);
    const line = el('div', { class: 'line' }, label, state, time, counts);
    const row = el('div', { class: `actor kind-${a.kind}`, dataset: { actorId: id, kind: a.kind } }, line);
    let children;
    if (!isCheck(a)) {
      children = el('div', { class: 'children' });
      row.append(children);
    }
    r = { row, state, time, counts, label, children };
    rows.set(id, r);
    insertSorted(parent, row, a);
  }
  r.label.textContent = a.label;
  r.state.textContent = a.state;
  r.row.dataset.state = a.state;
  r.row.dataset.status = a.status;
  r.time.textContent = isFinal(a) ? '' : duration(now() - a.enteredAt);
  if (a.counts) r.counts.textContent = `${a.counts.checks} done · ${a.counts.up} up · ${a.counts.down} down`;
  else if (a.outcomes?.length) {
    const o = a.outcomes[0];
    r.counts.textContent = a.outcomes.length > 1 ? `${a.outcomes.filter((x) => x.error === null).length}/${a.outcomes.length} up` : o.error === null ? `up ${o.score}/${o.points ?? '?'}` : 'down';
  }
  r.row.classList.toggle('down', !!a.outcomes?.some((o) => o.error !== null));
  r.row.classList.toggle('selected', id === selected);
}

// Teams by number, checks by name, scans newest first.
function insertSorted(parent, row, a) {
  const key = sortKey(a);
  for (const sibling of parent.children) {
    const other = views.get(sibling.dataset.actorId);
    if (other && compare(key, sortKey(other)) < 0) return void parent.insertBefore(row, sibling);
  }
  parent.append(row);
}
const sortKey = (a) => (a.kind === 'scan' ? [-(a.startedAt || 0), ''] : [a.team ?? 1e9, a.label]);
const compare = (x, y) => (x[0] - y[0]) || String(x[1]).localeCompare(String(y[1]));

// ---- counts, stuck, detail ---------------------------------------------------------
function renderCounts() {
  const n = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const a of views.values()) if (isCheck(a) && a.state in n) n[a.state]++;
  for (const s of STATES) counts[s].textContent = String(n[s]);
}

// The deadline timer in force: postCheck has its own budget from its start.
const deadlineOf = (a) => (a.state === 'postCheck' ? a.enteredAt + (a.postCheckGraceMs ?? 0) : a.startedAt + a.timeoutMs);

function armed(a, t) {
  if (!isCheck(a) || isFinal(a) || a.timeoutMs === undefined) return false;
  return t < deadlineOf(a);
}

function stuckList(t) {
  const list = [];
  for (const a of views.values()) {
    if (!isCheck(a) || isFinal(a) || a.timeoutMs === undefined) continue;
    const forMs = t - a.enteredAt;
    if (forMs > a.timeoutMs + graceMs) list.push({ a, forMs });
  }
  return list.sort((x, y) => y.forMs - x.forMs);
}

function renderStuck() {
  const t = now();
  const list = stuckList(t);
  document.getElementById('stuck-count').textContent = String(list.length);
  const body = document.querySelector('#stuck tbody');
  body.replaceChildren(
    ...list.slice(0, 200).map(({ a, forMs }) =>
      el('tr', { dataset: { actorId: a.id }, onclick: () => select(a.id) },
        el('td', { class: 'team' }, a.team ?? 'all'),
        el('td', { class: 'service' }, a.service ?? a.label),
        el('td', { class: 'state' }, a.state),
        el('td', {}, duration(forMs)),
        el('td', {}, a.events[a.events.length - 1] ?? '—'),
        el('td', {}, armed(a, t) ? 'yes' : 'no'),
      ),
    ),
  );
}

function select(id) {
  const before = selected;
  selected = id;
  if (before) touch(before);
  touch(id);
  feedChanged('select', id);
  // Opened from a chart or the timeline: its row comes into view in the tree (the page stays).
  const row = rows.get(id)?.row;
  const tree = document.getElementById('tree');
  if (row) tree.scrollTop += row.getBoundingClientRect().top - tree.getBoundingClientRect().top - 40;
}

function renderDetail() {
  const a = views.get(selected);
  const box = document.getElementById('detail');
  if (!a) return void box.replaceChildren(el('p', { class: 'hint' }, 'Select an actor in the tree.'));
  const t = now();
  const facts = [
    ['actor', a.id],
    ['kind', a.kind],
    a.team !== undefined && ['team', a.team],
    a.service && ['service', a.service],
    a.type && ['type', a.resolvedType && a.resolvedType !== a.type ? `${a.type} → ${a.resolvedType}` : a.type],
    ['state', a.state],
    ['status', a.status],
    ['in state for', isFinal(a) ? '—' : duration(t - a.enteredAt)],
    a.timeoutMs !== undefined && ['timeout', duration(a.timeoutMs)],
    isCheck(a) && ['timeout armed', armed(a, t) ? `yes, fires in ${duration(deadlineOf(a) - t)}` : 'no'],
  ].filter(Boolean);
  const parts = [el('dl', {}, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]))];
  parts.push(el('h3', {}, 'Recent events'), el('ol', { class: 'events' }, a.events.map((e) => el('li', {}, e))));
  if (a.timings && Object.keys(a.timings).length) {
    parts.push(el('h3', {}, 'Hook timings'), el('table', { class: 'timings' }, Object.entries(a.timings).map(([h, ms]) => el('tr', {}, el('td', {}, h), el('td', {}, `${ms} ms`)))));
  }
  if (a.outcomes?.length) {
    parts.push(el('h3', {}, 'Result'), el('table', { class: 'outcomes' },
      el('tr', {}, el('th', {}, 'team'), el('th', {}, 'service'), el('th', {}, 'score'), el('th', {}, 'error')),
      a.outcomes.map((o) => el('tr', { class: o.error === null ? 'up' : 'down' }, el('td', {}, o.team), el('td', {}, o.service), el('td', {}, `${o.score}/${o.points ?? '?'}`), el('td', { class: 'error' }, o.error ?? '—')))));
  }
  if (a.counts) parts.push(el('p', {}, `${a.counts.checks} checks done, ${a.counts.up} up, ${a.counts.down} down`));
  box.replaceChildren(...parts);
}

// Time in state of running actors (only those rows): on every server tick, and once a
// second in any case.
function refreshTimes() {
  for (const a of views.values()) if (!isFinal(a)) dirty.add(a.id);
  if (!frame) frame = requestAnimationFrame(render);
}
setInterval(refreshTimes, 1000);

// ---- live --------------------------------------------------------------------------
function live() {
  document.getElementById('mode').textContent = 'live';
  const conn = document.getElementById('connection');
  const source = new EventSource('/api/inspect/stream');
  source.addEventListener('open', () => (conn.textContent = 'connected'));
  source.addEventListener('error', () => (conn.textContent = 'reconnecting'));
  source.addEventListener('snapshot', (e) => {
    const s = JSON.parse(e.data);
    skew = s.now - Date.now();
    graceMs = s.stuckGraceMs;
    document.getElementById('grace').textContent = duration(graceMs);
    nextRound = s.nextRound ?? null;
    health = s.health ?? null;
    renderHealth();
    resetAll(s.actors);
  });
  source.addEventListener('health', (e) => {
    health = JSON.parse(e.data).health;
    renderHealth();
  });
  source.addEventListener('schedule', (e) => {
    nextRound = JSON.parse(e.data).nextRound;
    touch('');
  });
  source.addEventListener('actor', (e) => upsert(JSON.parse(e.data).actor));
  source.addEventListener('removed', (e) => remove(JSON.parse(e.data).id));
  source.addEventListener('tick', (e) => {
    skew = JSON.parse(e.data).at - Date.now();
    refreshTimes();
  });
}

// ---- replay ------------------------------------------------------------------------
async function replay() {
  document.getElementById('mode').textContent = 'replay';
  document.getElementById('connection').textContent = 'recording';
  const { messages, stuckGraceMs } = await api('/api/recording');
  graceMs = stuckGraceMs;
  const slider = document.getElementById('slider');
  const position = document.getElementById('position');
  document.getElementById('timeline').hidden = false;
  slider.max = String(messages.length);
  let at = 0; // messages applied
  let timer;
  const apply = (m) => (m.kind === 'actor' ? upsert(m.actor) : m.kind === 'removed' ? remove(m.id) : undefined);
  const go = (target) => {
    target = Math.max(0, Math.min(messages.length, target));
    if (target < at) {
      resetAll([]);
      at = 0;
    }
    for (; at < target; at++) apply(messages[at]);
    replayNow = at > 0 ? messages[at - 1].at : messages[0]?.at;
    slider.value = String(at);
    position.textContent = `${at} / ${messages.length}${at > 0 ? ` · ${new Date(replayNow).toLocaleTimeString()}` : ''}`;
    touch('');
    feedChanged('clock');
  };
  slider.addEventListener('input', () => go(Number(slider.value)));
  document.getElementById('first').addEventListener('click', () => go(0));
  document.getElementById('back').addEventListener('click', () => go(at - 1));
  document.getElementById('forward').addEventListener('click', () => go(at + 1));
  document.getElementById('last').addEventListener('click', () => go(messages.length));
  document.getElementById('play').addEventListener('click', (e) => {
    if (timer) {
      clearInterval(timer);
      timer = undefined;
      e.target.textContent = 'play';
      return;
    }
    e.target.textContent = 'pause';
    timer = setInterval(() => (at >= messages.length ? e.target.click() : go(at + 1)), 50);
  });
  go(0);
}

const who = await whoami();
// A team token sees its own team's actors only: the server filters the stream itself.
if (who && who.role !== 'admin' && who.mode === 'replay') status('A recording shows every team: replay needs the admin token.', true);
else if (who) {
  if (who.role === 'team') status(`Team ${who.team}: your own team's checks only.`);
  if (who.scanners) watchScanners(document.getElementById('scanners'));
  (who.mode === 'replay' ? replay() : Promise.resolve(live())).catch((err) => status(err.message, true));
}
