// Copies what tsc does not emit into dist/: the SQL migrations, and the npm files the
// visualizer serves under /vendor/ (visualizer/vendor.json), so the pages need no CDN.
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

cpSync('src/db/migrations', 'dist/src/db/migrations', { recursive: true });

const require = createRequire(import.meta.url);
const { files } = JSON.parse(readFileSync('visualizer/vendor.json', 'utf8'));
mkdirSync('dist/visualizer/vendor', { recursive: true });
for (const [name, from] of Object.entries(files)) cpSync(require.resolve(from), `dist/visualizer/vendor/${name}`);
