/** `scorekeeper report`: files the score of an external service for the current round. */
import { EXTERNAL_TYPE_NAME } from '../../checks/external.js';
import { intOption, parseCommandArgs } from '../args.js';
import { cliActor } from '../cli-actor.js';
import { UsageError } from '../cli-error.js';
import { STORE_OPTIONS, loadConfig, openCliStore } from '../context.js';

/** Help text of `report`. */
export const REPORT_HELP = `Usage: scorekeeper report --config FILE --team T --service NAME --score N [--error TEXT] [--round R] [--data DIR]

Files the score of an external service (type: external) for team T: the latest round
unless --round is given. A round's external check takes the latest report filed before
its window (the service's timeout) closes; none means 0 "no external report".`;

/** Runs `report`. */
export async function reportCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('report', argv, {
    config: { type: 'string', short: 'c' },
    team: { type: 'string' },
    service: { type: 'string' },
    score: { type: 'string' },
    error: { type: 'string' },
    round: { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${REPORT_HELP}\n`), 0;
  if (!values.config || values.team === undefined || !values.service || values.score === undefined) {
    throw new UsageError("report: --config, --team, --service and --score are required; see 'scorekeeper report --help'");
  }
  const team = intOption('report', 'team', values.team, 0)!;
  const round = intOption('report', 'round', values.round, 1);
  const score = Number(values.score);
  const { loaded } = await loadConfig(values.config);
  const { competition } = loaded;
  const service = competition.services.find((s) => s.name === values.service);
  if (!service) throw new UsageError(`report: no service '${values.service}' in competition '${competition.name}'`);
  if (service.type !== EXTERNAL_TYPE_NAME) throw new UsageError(`report: service '${service.name}' is of type '${service.type}', not external: it is scored by its check`);
  if (!competition.teams.some((t) => t.number === team)) throw new UsageError(`report: team ${team} is not in competition '${competition.name}'`);
  const points = service.points ?? 1;
  if (!Number.isFinite(score) || score < 0 || score > points) throw new UsageError(`report: --score must be a number in 0..${points}, got '${values.score}'`);
  const store = await openCliStore(values.data);
  try {
    await store.migrate();
    await store.syncCompetition(competition);
    const filed = await store.recordExternal({
      competition: competition.name,
      team,
      service: service.name,
      score,
      points,
      error: values.error ?? null,
      ...(round !== undefined ? { round } : {}),
    });
    await store.recordAudit({ competition: competition.name, actor: cliActor(), action: 'external-report', team, subject: service.name, detail: `${score}/${points} for round ${filed.round}` });
    out.write(`team ${team} ${service.name}: ${score}/${points} filed for round ${filed.round}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
