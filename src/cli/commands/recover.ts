/**
 * `scorekeeper recover FILE`: imports a recovery file (writes the database could not
 * take during an outage) into the store. Idempotent: importing twice changes nothing.
 */
import { parseArgs } from 'node:util';
import { importRecovery } from '../../recovery/import-recovery.js';
import { readRecoveryFile } from '../../recovery/recovery-file.js';
import { COMMON_OPTIONS } from '../args.js';
import { UsageError } from '../cli-error.js';
import { STORE_OPTIONS, openCliStore } from '../context.js';

/** Help text of `recover`. */
export const RECOVER_HELP = `Usage: scorekeeper recover FILE [--data DIR]

Imports a recovery file into the store: check results, check starts and scan summaries
that were written to FILE (by default .scorekeeper/recovery.jsonl) because the database
was unreachable. Checks closed as interrupted in the meantime get their real result.
Importing the same file again changes nothing.

  --data DIR      data folder of the embedded database (default .scorekeeper);
                  ignored when DATABASE_URL is set`;

/** Runs `recover`. */
export async function recoverCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed: { values: { help?: boolean; data?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...STORE_OPTIONS }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`recover: ${(err as Error).message.replace(/\. To specify .*$/s, '')}; see 'scorekeeper recover --help'`);
  }
  const { values, positionals } = parsed;
  if (values.help) return void out.write(`${RECOVER_HELP}\n`), 0;
  if (positionals.length !== 1) throw new UsageError(`recover: expected exactly one FILE, got ${positionals.length}; see 'scorekeeper recover --help'`);
  const file = positionals[0]!;
  const { entries, skipped } = readRecoveryFile(file);
  for (const problem of skipped) out.write(`recover: skipped ${file} ${problem}\n`);
  // Straight to the database: a failure here must not write to the file being imported.
  const store = await openCliStore(values.data, { resilient: false });
  try {
    await store.migrate();
    const done = await importRecovery(store, entries);
    out.write(
      `recover: ${file}: ${done.results} results, ${done.started} check starts (${done.alreadyStarted} already recorded), ${done.scans} scan summaries imported\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
