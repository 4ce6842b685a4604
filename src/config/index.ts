/** The competition file: loading, validation, schema and the types it yields. */
export { loadCompetitionFile, parseCompetition } from './load-competition-file.js';
export type { LoadCompetitionOptions, LoadedCompetition, ParseCompetitionOptions } from './load-competition-file.js';
export { readPluginList, pluginListOf } from './read-plugin-list.js';
export type { ScanSettings } from './scan-settings.js';
export type { Tokens } from './tokens.js';
export { competitionFileSchema, SCAN_DEFAULTS, MIN_TOKEN_LENGTH, EXTERNAL_TYPE } from './schema.js';
export type { CompetitionFile } from './schema.js';
export { MAX_FILE_BYTES, MAX_ALIAS_COUNT, MAX_NESTING } from './parse-yaml.js';
export type { ConfigIssue } from './config-issue.js';
export type { TypeLookup } from './validate-competition.js';
