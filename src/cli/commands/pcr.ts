/**
 * `scorekeeper pcr`: a blue team's password change request. The new value of a Team
 * Specific Info key applies from the next round; history is kept.
 */
import { parseCommandArgs, intOption } from '../args.js';
import { cliActor } from '../cli-actor.js';
import { UsageError } from '../cli-error.js';
import { textValueProblem } from '../../text-value.js';
import { STORE_OPTIONS, loadConfig, openCliStore } from '../context.js';

/** Help text of `pcr`. */
export const PCR_HELP = `Usage: scorekeeper pcr --config FILE --team T --key KEY --value VALUE [--data DIR]

Records a password change for team T: Team Specific Info KEY gets VALUE from the next
round on. The value is never printed.`;

/** Runs `pcr`. */
export async function pcrCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('pcr', argv, {
    config: { type: 'string', short: 'c' },
    team: { type: 'string' },
    key: { type: 'string' },
    value: { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${PCR_HELP}\n`), 0;
  if (!values.config || values.team === undefined || !values.key || values.value === undefined) {
    throw new UsageError("pcr: --config, --team, --key and --value are required; see 'scorekeeper pcr --help'");
  }
  const team = intOption('pcr', 'team', values.team, 0)!;
  const problem = textValueProblem(values.value);
  if (problem) throw new UsageError(`pcr: --value ${problem}`);
  const { loaded } = await loadConfig(values.config);
  const { competition } = loaded;
  if (!competition.teams.some((t) => t.number === team)) throw new UsageError(`pcr: team ${team} is not in competition '${competition.name}'`);
  const used = competition.services.some((s) => s.credentials?.from === 'teamInfo' && (s.credentials.passwordKey === values.key || s.credentials.usernameKey === values.key));
  if (!used) throw new UsageError(`pcr: no service of '${competition.name}' uses Team Specific Info '${values.key}'`);
  const store = await openCliStore(values.data);
  try {
    await store.migrate();
    await store.syncCompetition(competition);
    const { effectiveRound } = await store.setTeamInfo({ competition: competition.name, team, key: values.key, value: values.value });
    await store.recordAudit({ competition: competition.name, actor: cliActor(), action: 'password-change', team, subject: values.key, detail: `from round ${effectiveRound}` });
    out.write(`team ${team}: '${values.key}' changed; applies from round ${effectiveRound}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
