/** `scorekeeper export --format csv|json`: every stored result row. */
import { parseCommandArgs, intOption } from '../args.js';
import { UsageError } from '../cli-error.js';
import { STORE_OPTIONS, openCliStore } from '../context.js';
import { competitionName } from '../competition-name.js';

/** Help text of `export`. */
export const EXPORT_HELP = `Usage: scorekeeper export (--config FILE | --competition NAME) --format csv|json [--from-round N] [--to-round N] [--data DIR]

Writes every stored check result and external report on stdout.`;

/** Quotes a CSV field when needed. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : `${value as string | number | boolean}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Runs `export`. */
export async function exportCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('export', argv, {
    config: { type: 'string', short: 'c' },
    competition: { type: 'string' },
    format: { type: 'string' },
    'from-round': { type: 'string' },
    'to-round': { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${EXPORT_HELP}\n`), 0;
  if (values.format !== 'csv' && values.format !== 'json') throw new UsageError(`export: --format must be csv or json, got '${values.format ?? ''}'`);
  const competition = await competitionName('export', values);
  const fromRound = intOption('export', 'from-round', values['from-round'], 1);
  const toRound = intOption('export', 'to-round', values['to-round'], 1);
  const store = await openCliStore(values.data);
  try {
    await store.migrate();
    const rows = await store.exportRows({ competition, ...(fromRound ? { fromRound } : {}), ...(toRound ? { toRound } : {}) });
    if (values.format === 'json') {
      out.write(`${JSON.stringify(rows)}\n`);
    } else {
      const columns = ['source', 'round', 'team', 'service', 'type', 'resolvedType', 'status', 'score', 'points', 'up', 'error', 'startedAt', 'finishedAt', 'durationMs', 'warnings'] as const;
      out.write(`${columns.join(',')}\n`);
      for (const row of rows) out.write(`${columns.map((c) => csvField(row[c])).join(',')}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
