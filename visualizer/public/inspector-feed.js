// What the inspector page's views share: the actor views (kept by inspector.js, live or
// replay), the page's clock and the selected actor. inspector.js tells the feed what
// changed; the other views (statecharts.js, round-timeline.js) listen and ask it to
// select an actor. Listeners are called synchronously: they should only mark
// themselves dirty and draw on their next animation frame.
'use strict';

const listeners = new Set();
let source = { views: new Map(), now: () => Date.now(), select: () => {}, graceMs: () => 2000 };
let selectedId;

/** Called by inspector.js once: where the views, the clock and selection live. */
export function connectFeed(next) {
  source = next;
}

/** Every actor view by id (read only). */
export const actorViews = () => source.views;

/** The page's clock: the server's time live, the recording's time in replay. */
export const pageNow = () => source.now();

/** Grace after a check's deadline before it counts as stuck (the server's). */
export const stuckGraceMs = () => source.graceMs();

/** The selected actor's id, or undefined. */
export const selectedActor = () => selectedId;

/** Selects an actor in every view (the tree, the details, the charts, the timeline). */
export const selectActor = (id) => source.select(id);

/** Calls `fn(kind, detail)` on every change: `reset`, `actor`, `removed`, `select`, `clock`. */
export function onFeed(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Tells every listener (inspector.js calls this). */
export function feedChanged(kind, detail) {
  if (kind === 'select') selectedId = detail;
  for (const fn of listeners) fn(kind, detail);
}
