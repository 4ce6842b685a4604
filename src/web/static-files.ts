/**
 * The visualizer's static pages (visualizer/public): served without a token, by exact
 * name from a list read once at start, so no request path ever reaches the file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Loads every servable file of `dir` (one level), keyed by URL path (`/inspector.html`). */
export function loadStaticFiles(dir = publicDir()): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  return files;
}
