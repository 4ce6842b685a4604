/** `scorekeeper results`: stored check results, by round and team. */
import { parseCommandArgs, intOption } from '../args.js';
import { UsageError } from '../cli-error.js';
import { STORE_OPTIONS, openCliStore } from '../context.js';
import { competitionName } from '../competition-name.js';
import { clip, renderTable } from '../table.js';

/** Help text of `results`. */
export const RESULTS_HELP = `Usage: scorekeeper results (--config FILE | --competition NAME) [--round N] [--team T] [--json] [--data DIR]

Prints stored check results: the latest round unless --round is given.`;

/** Runs `results`. */
export async function resultsCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('results', argv, {
    config: { type: 'string', short: 'c' },
    competition: { type: 'string' },
    round: { type: 'string' },
    team: { type: 'string' },
    json: { type: 'boolean' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${RESULTS_HELP}\n`), 0;
  const competition = await competitionName('results', values);
  const round = intOption('results', 'round', values.round, 1);
  const team = intOption('results', 'team', values.team, 0);
  const store = await openCliStore(values.data);
  try {
    await store.migrate();
    const rows = await store.results({ competition, ...(round !== undefined ? { round } : {}), ...(team !== undefined ? { team } : {}) });
    if (values.json) {
      out.write(`${JSON.stringify(rows)}\n`);
    } else if (rows.length === 0) {
      throw new UsageError(`results: no results stored for competition '${competition}'${round ? ` round ${round}` : ''}${team !== undefined ? ` team ${team}` : ''}`);
    } else {
      out.write(
        `${renderTable(
          ['round', 'team', 'service', 'type', 'status', 'score', 'error'],
          rows.map((r) => [r.round, r.team, r.service, r.resolvedType ?? r.type, r.status, `${r.score ?? '-'}/${r.points}`, clip(r.error)]),
        )}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
