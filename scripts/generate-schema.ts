/**
 * Writes schema/competition.schema.json from the zod schema of competition files.
 * Run after changing src/config/schema.ts: `npx tsx scripts/generate-schema.ts`.
 * test/config/json-schema.test.ts fails while the committed file is out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { competitionJsonSchemaText, JSON_SCHEMA_PATH } from '../src/config/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, JSON_SCHEMA_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, competitionJsonSchemaText());
console.log(`wrote ${JSON_SCHEMA_PATH}`);
