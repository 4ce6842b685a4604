// Copies what tsc does not emit into dist/: the SQL migrations.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/src/db/migrations', { recursive: true });
