// Checks the code's layering (run by `npm run lint`); exits 1 with one line per breach.
//   1. No import circle between files (static, re-export and type-only imports).
//   2. No circle between folders of src/ (machines/ counts as one folder).
//   3. machines/ is one layer: only the top of src/ (engine.ts, index.ts, threads/,
//      testing/) imports it, and it imports nothing from that top.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { URL } from 'node:url';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const TOP = ['src/engine.ts', 'src/index.ts', 'src/threads/', 'src/testing/'];
const isTop = (file) => TOP.some((t) => (t.endsWith('/') ? file.startsWith(t) : file === t));

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) files.push(relative(root, path));
  }
};
for (const dir of ['src', 'machines']) if (existsSync(join(root, dir))) walk(join(root, dir));

const known = new Set(files);
const importRe = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
/** file -> files it imports */
const edges = new Map();
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const targets = new Set();
  for (const [, spec] of text.matchAll(importRe)) {
    const base = relative(root, resolve(root, dirname(file), spec));
    const hit = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
    if (hit && hit !== file) targets.add(hit);
  }
  edges.set(file, targets);
}

/** Strongly connected components of more than one node (Tarjan). */
function circles(graph) {
  let next = 0;
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], found = [];
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next++; stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const problems = [];
for (const scc of circles(edges)) problems.push(`import circle between files: ${scc.join(' <-> ')}`);

// Folders: src/<folder> (files at src/'s root are the shared vocabulary and the top, not a folder).
const folderOf = (file) => {
  if (file.startsWith('machines/')) return 'machines';
  const parts = file.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : undefined;
};
const folders = new Map();
for (const [file, targets] of edges) {
  const from = folderOf(file);
  if (!from) continue;
  for (const target of targets) {
    const to = folderOf(target);
    if (!to || to === from) continue;
    if (!folders.has(from)) folders.set(from, new Set());
    folders.get(from).add(to);
  }
}
for (const scc of circles(folders)) {
  // Per direction between two folders of the circle, its first import: the thinner side is the one to cut.
  const byDirection = new Map();
  for (const [file, targets] of edges) {
    for (const target of targets) {
      const [a, b] = [folderOf(file), folderOf(target)];
      if (a === b || !scc.includes(a) || !scc.includes(b)) continue;
      const key = `${a} -> ${b}`;
      byDirection.set(key, [...(byDirection.get(key) ?? []), `${file} imports ${target}`]);
    }
  }
  const sides = [...byDirection].map(([key, links]) => `${key} (${links.length}: ${links[0]}${links.length > 1 ? ', ...' : ''})`);
  problems.push(`import circle between folders ${scc.join(' <-> ')}: ${sides.join('; ')}`);
}

for (const [file, targets] of edges) {
  for (const target of targets) {
    if (target.startsWith('machines/') && file.startsWith('src/') && !isTop(file)) {
      problems.push(`${file} imports ${target}: only ${TOP.join(', ')} may import machines/`);
    }
    if (file.startsWith('machines/') && isTop(target)) {
      problems.push(`${file} imports ${target}: machines/ may import only what lies below it in src/`);
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`check-layers: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} files, no import circle, machines/ imported only from the top of src/`);
