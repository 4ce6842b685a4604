// Shared helpers of the visualizer pages: DOM building without innerHTML, the JSON API.
'use strict';

/** Creates an element; attrs are set as properties or attributes; children are nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Calls the JSON API (the token travels in the HttpOnly cookie). */
export async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: {} };
  if (options.body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `${path}: HTTP ${res.status}`);
  return data;
}

/** Milliseconds as `1.2 s`, `3 min 4 s`. */
export function duration(ms) {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Shows a one-line message in the page's status bar. */
export function status(text, isError = false) {
  const bar = document.getElementById('status');
  if (!bar) return;
  bar.textContent = text;
  bar.classList.toggle('error', isError);
}

/** Why the server did not use a ?token= link (token_ignored=<reason> after its redirect). */
const TOKEN_IGNORED = {
  'cross-site': 'A link from another site carried a token: it was not used.',
  'other-session': 'A link carried a different token: you stay signed in as before. To switch, clear this site\'s cookies and open the link again.',
  invalid: 'The token in the link is not valid.',
};

/** Who am I? Shows a sign-in hint when there is no valid token, and why a link's token was not used. */
export async function whoami() {
  const reason = new URLSearchParams(location.search).get('token_ignored');
  const ignored = Object.hasOwn(TOKEN_IGNORED, reason ?? '') ? TOKEN_IGNORED[reason] : undefined;
  // Its own line, above the status bar, which the pages reuse for progress.
  if (ignored) document.getElementById('status')?.before(el('p', { id: 'token-notice', class: 'status error', role: 'alert' }, ignored));
  try {
    return await api('/api/whoami');
  } catch (err) {
    status(`${err.message}. Open this page with ?token=YOUR_TOKEN once.`, true);
    return undefined;
  }
}
