// The scanners of a distributed competition (admin only): zone, alive, checks held, lag,
// last heard. Read from /api/scanners every few seconds; hidden when the server runs its
// checks itself.
import { api, duration, el } from './common.js';

const REFRESH_MS = 3000;

/** Shows the scanners in `section` (its table body is rebuilt on each read). */
export function watchScanners(section) {
  section.hidden = false;
  const body = section.querySelector('tbody');
  const render = ({ now, scanners }) => {
    body.replaceChildren(
      ...scanners.map((s) =>
        el(
          'tr',
          { class: s.alive ? 'up' : 'down', dataset: { scanner: s.id } },
          el('td', {}, s.id),
          el('td', {}, s.zone ?? '(any)'),
          el('td', {}, s.alive ? 'alive' : 'gone'),
          el('td', {}, `${s.held} / ${s.concurrency}`),
          el('td', {}, String(s.ran)),
          el('td', {}, `${s.lagMs} ms`),
          el('td', {}, `${duration(Math.max(0, now - s.heardAt))} ago`),
        ),
      ),
    );
    if (scanners.length === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'hint' }, 'No scanner has joined yet: start one with scorekeeper scanner --config FILE.')));
  };
  const read = () => api('/api/scanners').then(render, () => undefined);
  read();
  setInterval(read, REFRESH_MS);
}
