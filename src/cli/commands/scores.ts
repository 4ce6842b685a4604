/** `scorekeeper scores`: per-team totals and per-service uptime from the per-round table. */
import { parseCommandArgs, intOption } from '../args.js';
import { STORE_OPTIONS, openCliStore } from '../context.js';
import { competitionName } from '../competition-name.js';
import { renderTable } from '../table.js';

/** Help text of `scores`. */
export const SCORES_HELP = `Usage: scorekeeper scores (--config FILE | --competition NAME) [--sla-after N --sla-penalty P] [--json] [--data DIR]

Per-team totals and uptime, from the stored per-round scores. With --sla-after N, a
penalty of P points is taken for every run of N consecutive failed rounds of a service.`;

/** Runs `scores`. */
export async function scoresCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('scores', argv, {
    config: { type: 'string', short: 'c' },
    competition: { type: 'string' },
    'sla-after': { type: 'string' },
    'sla-penalty': { type: 'string' },
    json: { type: 'boolean' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${SCORES_HELP}\n`), 0;
  const competition = await competitionName('scores', values);
  const after = intOption('scores', 'sla-after', values['sla-after'], 1);
  const penalty = intOption('scores', 'sla-penalty', values['sla-penalty'], 0) ?? 0;
  const store = await openCliStore(values.data);
  try {
    await store.migrate();
    const teams = await store.scores(competition, after ? { sla: { after, penalty } } : {});
    if (values.json) out.write(`${JSON.stringify(teams)}\n`);
    else
      out.write(
        `${renderTable(
          ['team', 'name', 'score', 'sla penalty', 'total', 'uptime'],
          teams.map((t) => [t.team, t.name ?? '', `${t.score}/${t.points}`, t.slaPenalty, t.total, `${(t.uptime * 100).toFixed(1)}%`]),
        )}\n`,
      );
    return 0;
  } finally {
    await store.close();
  }
}
