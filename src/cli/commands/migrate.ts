/** `scorekeeper migrate`: applies pending database migrations (also done at every start). */
import { parseCommandArgs } from '../args.js';
import { STORE_OPTIONS, openCliStore } from '../context.js';

/** Help text of `migrate`. */
export const MIGRATE_HELP = `Usage: scorekeeper migrate [--data DIR]

Applies the pending numbered migrations to DATABASE_URL, or to the embedded database in
--data (default .scorekeeper), in one transaction. Every command does this at start.`;

/** Runs `migrate`. */
export async function migrateCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('migrate', argv, STORE_OPTIONS);
  if (values.help) return void out.write(`${MIGRATE_HELP}\n`), 0;
  const store = await openCliStore(values.data);
  try {
    const applied = await store.migrate();
    out.write(applied.length ? `applied ${applied.length} migrations: ${applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}
