// The service scanner page: latest round as a teams × services grid, totals, uptime and
// error messages; a service's history on click; password changes; the admin's "check now".
// What a team sees is decided by the server: this page only shows what the API returns.
import { api, el, status, whoami } from './common.js';
import { renderMessages, renderRounds, showCheckNow } from './scanner-views.js';

const who = await whoami();
let view;

async function load() {
  try {
    view = await api('/api/scanner');
  } catch (err) {
    return status(err.message, true);
  }
  status('');
  document.getElementById('round').textContent = view.round === null ? 'no round yet' : `round ${view.round}`;
  const head = document.querySelector('#grid thead');
  head.replaceChildren(el('tr', {}, el('th', {}, 'team'), view.services.map((s) => el('th', {}, s)), el('th', {}, 'total'), el('th', {}, 'uptime')));
  const body = document.querySelector('#grid tbody');
  body.replaceChildren(...view.teams.map((t) =>
    el('tr', { dataset: { team: t.team } },
      el('th', {}, t.name),
      view.services.map((s) => cell(t, s)),
      el('td', { class: 'total' }, `${round(t.total)}/${round(t.points)}`),
      el('td', { class: 'uptime' }, `${(t.uptime * 100).toFixed(0)}%`),
    )));
  renderMessages(view);
  api('/api/rounds').then(renderRounds, (err) => status(err.message, true));
  if (who.role === 'team' || who.role === 'admin') setupPassword();
}

const round = (n) => Math.round(n * 100) / 100;

function cell(t, service) {
  const c = t.cells[service];
  const td = el('td', { class: `cell ${c ? (c.up ? 'up' : c.status === 'in_progress' ? 'running' : 'down') : 'none'}`, dataset: { team: t.team, service }, title: c?.error ?? '' },
    el('button', { type: 'button', class: 'cell-button', onclick: () => history(t, service) }, c ? (c.up ? `up ${c.score}/${c.points}` : c.status === 'in_progress' ? 'running' : `down ${c.score ?? 0}/${c.points}`) : '—'));
  if (who.role === 'admin') td.append(el('button', { type: 'button', class: 'check-now', title: 'run this check now (not scored)', onclick: () => showCheckNow(td, t.team, service, api('/api/check-now', { body: { team: t.team, service } })) }, '▶'));
  return td;
}

async function history(t, service) {
  const panel = document.getElementById('history-panel');
  panel.hidden = false;
  document.getElementById('history-title').textContent = `History · ${t.name} · ${service}`;
  try {
    const rows = await api(`/api/history?team=${encodeURIComponent(t.team)}&service=${encodeURIComponent(service)}`);
    document.querySelector('#history tbody').replaceChildren(
      el('tr', {}, el('th', {}, 'round'), el('th', {}, 'score'), el('th', {}, 'error')),
      ...rows.map((r) => el('tr', { class: r.error === null && r.status === 'finished' ? 'up' : 'down' }, el('td', {}, r.round), el('td', {}, `${r.score ?? '—'}/${r.points}`), el('td', {}, r.error ?? (r.status === 'finished' ? '—' : r.status)))));
  } catch (err) {
    status(err.message, true);
  }
}

let passwordReady = false;
function setupPassword() {
  if (passwordReady || view.passwordKeys.length === 0) return;
  passwordReady = true;
  document.getElementById('password-panel').hidden = false;
  document.getElementById('team-field').hidden = who.role !== 'admin';
  document.getElementById('password-key').replaceChildren(...view.passwordKeys.map((k) => el('option', { value: k }, k)));
  document.getElementById('password-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = document.getElementById('password-value');
    const result = document.getElementById('password-result');
    const body = { key: document.getElementById('password-key').value, value: input.value };
    if (who.role === 'admin') body.team = Number(document.getElementById('password-team').value);
    try {
      const r = await api('/api/password', { body });
      result.textContent = `saved: '${r.key}' of team ${r.team} applies from round ${r.effectiveRound}`;
      input.value = '';
    } catch (err) {
      result.textContent = err.message;
    }
  });
}

if (who) {
  document.getElementById('who').textContent = who.role === 'admin' ? 'admin' : `team ${who.team}`;
  document.getElementById('inspector-link').hidden = who.role !== 'admin' && who.role !== 'team';
  if (!who.scanner) status('No scanner data on this server (it needs the competition and a PostgreSQL or embedded store).', true);
  else {
    await load();
    setInterval(load, 10_000);
  }
}
