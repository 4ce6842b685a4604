// Draws one statechart (GET /api/inspect/charts: states and transitions derived from the
// machine definitions) as SVG, laid out by elkjs (/vendor/elk.bundled.js, loaded by the
// page as a classic script: the global ELK). States are boxes with a count line;
// `light` marks the state an actor is in and the states it went through.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const ANY = '*';
const START = '__start';
let elk;
let measureCtx;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function textWidth(text, font = '12px system-ui, sans-serif') {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  measureCtx.font = font;
  return Math.ceil(measureCtx.measureText(text).width);
}

/** The ELK graph of a chart: one node per state (plus the start dot and `any state`), one edge per transition. */
function elkGraph(chart) {
  const nodes = chart.states.map((s) => ({ id: s.id, width: Math.max(84, textWidth(s.id, 'bold 12px system-ui, sans-serif') + 24, textWidth('000 actors') + 24), height: 42 }));
  nodes.unshift({ id: START, width: 12, height: 12 });
  const edges = [{ id: 'e-start', sources: [START], targets: [chart.initial] }];
  if (chart.transitions.some((t) => t.from === ANY)) nodes.push({ id: ANY, width: textWidth('any state') + 20, height: 26 });
  chart.transitions.forEach((t, i) => {
    const text = t.guarded ? `${t.label} [guard]` : t.label;
    edges.push({ id: `e${i}`, sources: [t.from], targets: [t.to], labels: [{ text, width: textWidth(text, '11px system-ui, sans-serif') + 4, height: 14 }] });
  });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.spacing.nodeNode': '22',
      'elk.spacing.edgeLabel': '3',
      'elk.edgeLabels.placement': 'CENTER',
    },
    children: nodes,
    edges,
  };
}

/**
 * Lays out and draws `chart` into `container`. Resolves with `{ setCounts(map), light(state,
 * visited), svg }`; clicking a state box calls `onState(stateId)` when given.
 */
export async function drawChart(container, chart, { onState, counts = true, fit = false } = {}) {
  elk ??= new globalThis.ELK();
  const laid = await elk.layout(elkGraph(chart));
  // `fit`: scaled down to the container's width (the check-now card); else drawn 1:1.
  const root = svg('svg', { class: 'chart', width: fit ? '100%' : laid.width + 8, height: fit ? undefined : laid.height + 8, viewBox: `-4 -4 ${laid.width + 8} ${laid.height + 8}`, role: 'img', 'aria-label': `statechart of ${chart.kind}` });
  const defs = svg('defs');
  const marker = svg('marker', { id: `arrow-${chart.kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'chart-arrowhead' }));
  defs.append(marker);
  root.append(defs);
  for (const e of laid.edges) {
    const g = svg('g', { class: 'chart-edge' });
    for (const s of e.sections ?? []) {
      const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${p.x},${p.y}`).join(' ');
      g.append(svg('polyline', { points: pts, 'marker-end': `url(#arrow-${chart.kind})` }));
    }
    for (const l of e.labels ?? []) g.append(svg('text', { x: l.x + 2, y: l.y + 11, class: 'chart-edge-label' }, l.text));
    root.append(g);
  }
  const boxes = new Map();
  const finals = new Set(chart.states.filter((s) => s.final).map((s) => s.id));
  for (const n of laid.children) {
    if (n.id === START) {
      root.append(svg('circle', { cx: n.x + 6, cy: n.y + 6, r: 5, class: 'chart-start' }));
      continue;
    }
    const g = svg('g', { class: `chart-state${finals.has(n.id) ? ' final' : ''}${n.id === ANY ? ' any' : ''}`, 'data-state': n.id, transform: `translate(${n.x},${n.y})` });
    g.append(svg('rect', { width: n.width, height: n.height, rx: 8 }));
    if (finals.has(n.id)) g.append(svg('rect', { x: 3, y: 3, width: n.width - 6, height: n.height - 6, rx: 6, class: 'inner' }));
    if (n.id === ANY) {
      g.append(svg('text', { x: n.width / 2, y: 17, 'text-anchor': 'middle', class: 'chart-any' }, 'any state'));
    } else {
      g.append(svg('text', { x: n.width / 2, y: 17, 'text-anchor': 'middle', class: 'chart-name' }, n.id));
      const count = svg('text', { x: n.width / 2, y: 33, 'text-anchor': 'middle', class: 'chart-count' }, '');
      if (counts) g.append(count);
      boxes.set(n.id, { g, count });
      if (onState) g.addEventListener('click', () => onState(n.id));
    }
    root.append(g);
  }
  container.replaceChildren(root);
  return {
    svg: root,
    /** Shows `counts[state]` (0 when missing) in each box; boxes with actors stand out. */
    setCounts(counts) {
      for (const [id, { g, count }] of boxes) {
        const n = counts.get(id) ?? 0;
        count.textContent = n === 1 ? '1 actor' : `${n} actors`;
        g.classList.toggle('occupied', n > 0);
      }
    },
    /** Lights `state` (the selected actor's) and marks `visited` (the states it went through). */
    light(state, visited = []) {
      const seen = new Set(visited);
      for (const [id, { g }] of boxes) {
        g.classList.toggle('lit', id === state);
        g.classList.toggle('visited', id !== state && seen.has(id));
      }
    },
  };
}
