/** `scorekeeper checks [--config F]`: registered check types with kind and description. */
import { parseCommandArgs } from '../args.js';
import { registryFor } from '../context.js';
import { renderTable } from '../table.js';

/** Help text of `checks`. */
export const CHECKS_HELP = `Usage: scorekeeper checks [--config FILE] [--json]

Lists the registered check types: the built-in ones, and those of the competition
file's plugins when --config is given.`;

/** Runs `checks`. */
export async function checksCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('checks', argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } });
  if (values.help) return void out.write(`${CHECKS_HELP}\n`), 0;
  const types = (await registryFor(values.config)).list();
  if (values.json) out.write(`${JSON.stringify(types)}\n`);
  else out.write(`${renderTable(['type', 'kind', 'origin', 'description'], types.map((t) => [t.shortName, t.kind, t.origin, t.description]))}\n`);
  return 0;
}
