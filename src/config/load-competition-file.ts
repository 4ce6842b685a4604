/**
 * Loading a competition file: read (size-capped), parse the YAML safely, validate
 * against the schema and the registry, and build the engine's types. Any problem is
 * one ConfigError listing every problem found, one line each:
 *
 *   competition.yaml: services[3].port: expected an integer 1..65535, got "abc"
 *
 * Plugins must already be loaded into the registry (see readPluginList), since the
 * check types they provide are validated here.
 */
import { resolve } from 'node:path';
import type { Competition } from '../types.js';
import { configError } from './config-issue.js';
import { buildCompetition } from './build-competition.js';
import { parseYaml } from './parse-yaml.js';
import { readConfigFile } from './read-config-file.js';
import type { ScanSettings } from './scan-settings.js';
import { collectSecrets } from './secrets.js';
import type { Tokens } from './tokens.js';
import type { WebSettings } from './build-competition.js';
import type { TypeLookup } from './validate-competition.js';
import { validateCompetition } from './validate-competition.js';

/** Everything a competition file provides. */
export interface LoadedCompetition {
  readonly competition: Competition;
  readonly settings: ScanSettings;
  /** Plugins as written: npm package names, or paths relative to the file's folder. */
  readonly plugins: string[];
  readonly tokens: Tokens;
  /** The `web` section (TLS files relative to the file's folder). */
  readonly web: WebSettings;
  /** Absolute path of the file (`file` as given for parseCompetition). */
  readonly file: string;
}

/** Options of loadCompetitionFile. */
export interface LoadCompetitionOptions {
  /** Registry holding every check type the file may name (plugins already loaded). */
  readonly registry: TypeLookup;
}

/** Options of parseCompetition. */
export interface ParseCompetitionOptions extends LoadCompetitionOptions {
  /** Name used in error lines. Default "competition.yaml". */
  readonly file?: string;
}

/** Reads and validates the competition file at `path`; a ConfigError lists every problem. */
export async function loadCompetitionFile(path: string, options: LoadCompetitionOptions): Promise<LoadedCompetition> {
  const bytes = await readConfigFile(path);
  return { ...parseCompetition(bytes, { ...options, file: path }), file: resolve(path) };
}

/** Validates competition-file text (or bytes, which must be UTF-8); see loadCompetitionFile. */
export function parseCompetition(text: string | Uint8Array, options: ParseCompetitionOptions): LoadedCompetition {
  const file = options.file ?? 'competition.yaml';
  const root = parseYaml(text, file);
  const result = validateCompetition(root, options.registry);
  if (!result.ok) throw configError(file, result.issues, collectSecrets(root, result.secretParams));
  return { ...buildCompetition(result.file, result.secretParams), file };
}
