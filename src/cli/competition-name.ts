/** The competition a read-only command is about: from --competition, or the file's name. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError } from '../errors.js';
import { UsageError } from './cli-error.js';

/** Resolves the competition name without loading plugins or validating the file. */
export async function competitionName(command: string, values: { config?: string | undefined; competition?: string | undefined }): Promise<string> {
  if (values.competition) return values.competition;
  if (!values.config) throw new UsageError(`${command}: give --config FILE or --competition NAME`);
  let doc: unknown;
  try {
    doc = parse(await readFile(values.config, 'utf8'), { maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(`${values.config}: ${(err as Error).message.split('\n')[0]}`);
  }
  const name = (doc as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !name) throw new ConfigError(`${values.config}: name: expected the competition name`);
  return name;
}
