/**
 * Reads only the `plugins` list of a competition file, so the caller can load the
 * plugins into the registry before the whole file (and its check types) is validated.
 */
import { configError } from './config-issue.js';
import { kindOf } from './describe-value.js';
import { parseYaml } from './parse-yaml.js';
import { readConfigFile } from './read-config-file.js';
import { competitionFileSchema } from './schema.js';
import { issuesFromZod } from './zod-issues.js';

/**
 * The plugins listed in the competition file at `path`, as written (npm package names,
 * or paths relative to the file's folder). Only YAML problems and problems of the
 * `plugins` list itself are reported here, as a ConfigError.
 */
export async function readPluginList(path: string): Promise<string[]> {
  return pluginListOf(await readConfigFile(path), path);
}

/** readPluginList for text already in memory; `file` names it in error lines. */
export function pluginListOf(text: string | Uint8Array, file = 'competition.yaml'): string[] {
  const root = parseYaml(text, file);
  if (root === null || root === undefined || typeof root !== 'object' || Array.isArray(root)) {
    throw configError(file, [
      { path: '(root)', expected: 'a mapping with name, teams and services', found: root == null ? 'an empty document' : kindOf(root) },
    ]);
  }
  const schema = competitionFileSchema.shape.plugins;
  const plugins: unknown = (root as Record<string, unknown>).plugins;
  const parsed = schema.safeParse(plugins);
  if (!parsed.success) {
    throw configError(file, issuesFromZod(parsed.error, { root, prefix: ['plugins'], schema, isSecret: () => false }));
  }
  return parsed.data;
}
