/**
 * The visualizer's static pages (visualizer/public) and the npm files they use
 * (visualizer/vendor.json, under /vendor/): served without a token, by exact name from
 * a list read once at start, so no request path ever reaches the file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScorekeeperError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** One static file, in memory. */
export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

/** The visualizer/public folder, from src/web (tsx) or dist/src/web (built). */
export function publicDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = join(here, up, 'visualizer', 'public');
    if (existsSync(dir)) return dir;
  }
  throw new ScorekeeperError('SK_WEB', `visualizer pages not found: no visualizer/public above ${here}`);
}

/**
 * Loads every servable file of `dir` (one level), keyed by URL path (`/inspector.html`),
 * and the vendor files listed in visualizer/vendor.json (`/vendor/elk.bundled.js`).
 */
export function loadStaticFiles(dir = publicDir()): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  for (const [name, path] of vendorFiles(dir)) files.set(`/vendor/${name}`, { type: TYPES[extname(name)] ?? 'application/octet-stream', body: readFileSync(path) });
  return files;
}

/**
 * The vendor files, by name: copied at build time into dist/visualizer/vendor (what a
 * package install has), else resolved in node_modules (running from source with tsx).
 */
function vendorFiles(dir: string): Map<string, string> {
  const listFile = join(dir, '..', 'vendor.json');
  const found = new Map<string, string>();
  if (!existsSync(listFile)) return found;
  const { files } = JSON.parse(readFileSync(listFile, 'utf8')) as { files: Record<string, string> };
  const here = dirname(fileURLToPath(import.meta.url));
  const built = [join(here, '..', '..', 'visualizer', 'vendor'), join(here, '..', '..', 'dist', 'visualizer', 'vendor')].find((d) => existsSync(d));
  const require = createRequire(import.meta.url);
  for (const [name, from] of Object.entries(files)) {
    const copied = built && join(built, name);
    if (copied && existsSync(copied)) found.set(name, copied);
    else {
      try {
        found.set(name, require.resolve(from));
      } catch {
        throw new ScorekeeperError('SK_WEB', `visualizer file ${name} not found: run 'npm run build' (it copies ${from} into dist/visualizer/vendor)`);
      }
    }
  }
  return found;
}
