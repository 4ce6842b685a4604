/**
 * The shape of a competition file, as a zod 4 schema. It checks structure (types,
 * ranges, names, unknown fields); what needs the whole file or the registry (unique
 * names, known check types, pools, Team Specific Info, host variables) is checked by
 * `validateCompetition`. `schema/competition.schema.json` is generated from it.
 *
 * Every message starts with "expected ..."; the loader adds the path and what was found.
 */
import { z } from 'zod';

/**
 * Defaults of the `scan` section, in seconds (concurrency: checks at once; `auto`: as
 * many as the host can hold open, src/scheduling/concurrency-budget.ts).
 */
export const SCAN_DEFAULTS = { interval: 60, jitter: 0, timeout: 10, concurrency: 'auto', threads: 0 } as const;
/** Shortest accepted web token. */
export const MIN_TOKEN_LENGTH = 16;
/** Name of the type the engine handles itself (a score reported from outside). */
export const EXTERNAL_TYPE = 'external';

const expected = (what: string) => ({ error: `expected ${what}` });

function integer(min: number, max: number) {
  const e = expected(`an integer ${min}..${max}`);
  return z.int(e).min(min, e).max(max, e);
}

function seconds(min: number, max: number) {
  const e = expected(`a number of seconds ${min}..${max}`);
  return z.number(e).min(min, e).max(max, e);
}

function text(what: string, max: number, min = 1) {
  const e = expected(`${what} (${min === 0 ? 'a string' : 'a non-empty string'} of at most ${max} characters)`);
  return z.string(e).min(min, e).max(max, e);
}

function pattern(what: string, regex: RegExp) {
  const e = expected(what);
  return z.string(e).regex(regex, e);
}

function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, expected('a mapping'));
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = 'of letters, digits, _, . or - (at most 64, starting with a letter or digit)';

/** A team number used as a mapping key (`teamInfo`, `pools`, `tokens.teams`). */
const teamKey = pattern('a team number 1..9999 as key', /^[1-9][0-9]{0,3}$/);
const infoKey = pattern(`a key ${NAME_RULE}`, NAME);
const poolName = pattern(`a pool name ${NAME_RULE}`, NAME);
const variableName = pattern(
  "a variable name of letters, digits or _ (not starting with a digit, not 'team')",
  /^(?!team$)[A-Za-z_][A-Za-z0-9_]*$/,
);

const username = text('a username', 256);
const password = text('a password', 1024, 0);
const token = z
  .string(expected(`a token of ${MIN_TOKEN_LENGTH}..256 characters`))
  .min(MIN_TOKEN_LENGTH, expected(`a token of ${MIN_TOKEN_LENGTH}..256 characters`))
  .max(256, expected(`a token of ${MIN_TOKEN_LENGTH}..256 characters`));

/** Explicit credentials written in the file. */
export const explicitCredentialsSchema = mapping({ username, password }).meta({
  title: 'Explicit credentials',
  description: 'A username and password written in the file, the same for every team.',
});

/** Credentials from Team Specific Info keys of each team. */
export const teamInfoCredentialsSchema = mapping({
  username: username.optional().meta({ description: 'A fixed username (or use usernameKey).' }),
  usernameKey: infoKey.optional().meta({ description: 'Team Specific Info key holding the username.' }),
  passwordKey: infoKey.meta({ description: 'Team Specific Info key holding the password.' }),
})
  .refine((c) => c.username === undefined || c.usernameKey === undefined, {
    error: 'expected username or usernameKey, not both',
    path: ['usernameKey'],
  })
  .refine((c) => c.username !== undefined || c.usernameKey !== undefined, {
    error: 'expected a username, or a usernameKey naming the Team Specific Info that holds it',
    path: ['username'],
  })
  .meta({
    title: 'Team Specific Info credentials',
    description: "Each team's own values, from teamInfo: passwordKey, and username or usernameKey.",
    // What the refinements check, for editors (JSON Schema cannot be derived from them).
    oneOf: [{ required: ['username'] }, { required: ['usernameKey'] }],
  });

/** Credentials drawn from a Team Info Pool. */
export const poolCredentialsSchema = mapping({
  pool: poolName.meta({ description: 'Name of a pool under `pools`.' }),
}).meta({ title: 'Pool credentials', description: "One random entry of the team's list in that pool, each check." });

/** The three credential sources, told apart by their keys. */
export const credentialsSchema = z.union([explicitCredentialsSchema, teamInfoCredentialsSchema, poolCredentialsSchema], {
  error: 'expected credentials: {username, password}, {passwordKey, username or usernameKey} or {pool}',
});

/** The `scan` section. */
export const scanSchema = mapping({
  interval: seconds(1, 86_400).default(SCAN_DEFAULTS.interval).meta({ description: 'Seconds between the starts of two scans.' }),
  jitter: seconds(0, 3_600).default(SCAN_DEFAULTS.jitter).meta({ description: 'Random delay added to each start, up to this many seconds; less than interval.' }),
  timeout: seconds(0.001, 3_600).default(SCAN_DEFAULTS.timeout).meta({ description: 'Default deadline of one check, seconds; at most interval.' }),
  concurrency: z
    .union([integer(1, 100_000), z.literal('auto')], { error: "expected an integer 1..100000 or 'auto'" })
    .default(SCAN_DEFAULTS.concurrency)
    .meta({ description: "Most checks running at once. 'auto': as many as the host's open-file limit and ephemeral ports allow (every check of a round at once on most hosts)." }),
  threads: integer(0, 64)
    .default(SCAN_DEFAULTS.threads)
    .meta({ description: "Check threads: checks of built-in and plugin types run in this many worker threads, so probes use more cores. 0: all in the engine's thread." }),
  distributed: z
    .boolean(expected('true or false'))
    .default(false)
    .meta({ description: 'Checks run on scanners (`scorekeeper scanner`) through the queue on DATABASE_URL instead of in the engine; as --distributed.' }),
});

/** A port is a number, or a template whose value is checked for each team (validate-competition.ts). */
const PORT = expected('an integer 1..65535, or a template such as "{port}"');
/** A timeout is a number of seconds, or a template whose value is checked for each team. */
const TIMEOUT = expected('a number of seconds 0.001..3600, or a template such as "{timeout}"');
/** A string with at least one `{name}` placeholder and no spaces, at most 64 characters. */
const TEMPLATE_FIELD = /^[^\s{}]*\{[A-Za-z_][A-Za-z0-9_]*\}[^\s{}]*$/;

function templated<T extends z.ZodType>(plain: T, message: { error: string }) {
  return z.union([plain, z.string(message).regex(TEMPLATE_FIELD, message).max(64, message)], message);
}

const hostField = pattern('a host or host template without spaces (at most 253 characters)', /^\S{1,253}$/);
const portField = templated(integer(1, 65_535), PORT);
const timeoutField = templated(seconds(0.001, 3_600), TIMEOUT);
const paramsField = z.record(z.string(), z.unknown(), expected('a mapping of parameters'));

/** One entry of `services`. */
export const serviceSchema = mapping({
  name: pattern(`a service name ${NAME_RULE}`, NAME).meta({ description: 'Unique service name.' }),
  type: text('a check type', 64).meta({ description: "Short name of a registered check type, or 'external'." }),
  host: hostField.meta({
    description: 'Host, with `{team}` and `{var}` replaced for each team: "10.{team}.1.10".',
  }),
  port: portField
    .optional()
    .meta({ description: "TCP/UDP port, or a template such as \"{port}\" filled from each team's vars (then 1..65535 per team); default: the check type's." }),
  points: z
    .number(expected('a number of points 0..1000000'))
    .min(0, expected('a number of points 0..1000000'))
    .max(1_000_000, expected('a number of points 0..1000000'))
    .default(1)
    .meta({ description: 'Points for a fully successful check.' }),
  timeout: timeoutField
    .optional()
    .meta({ description: "Deadline of this check, seconds, or a template such as \"{timeout}\" filled from each team's vars; default scan.timeout." }),
  params: paramsField
    .default({})
    .meta({ description: "Parameters of the check type, validated with the type's schema; `{team}` and `{var}` in its strings are filled per team." }),
  credentials: credentialsSchema.optional().meta({ description: 'Where the username and password come from.' }),
  zone: pattern('a zone name (letters, digits, _ and -, at most 40) or a template such as "{segment}"', /^(?:[A-Za-z0-9_-]|\{[A-Za-z_][A-Za-z0-9_]*\}){1,40}$/)
    .optional()
    .meta({ description: "Distributed mode: only scanners of this zone run this check. `{var}` is filled from each team's vars, so a team's service may name its own zone. None: any scanner." }),
});

/** A field a team cannot override, with the reason in its message. */
function notOverridable(reason: string) {
  return z
    .never(expected(`no such override (${reason})`))
    .optional()
    .meta({ description: `Not allowed: ${reason}.` });
}

/**
 * One team's own values for one service (`teams[].overrides.<service>`). The fields
 * that may not differ per team are declared only so that their error says why: the
 * JSON Schema forbids them, and "one of the fields" lists leave them out.
 */
export const serviceOverrideSchema = mapping({
  host: hostField.optional().meta({ description: "This team's host or host template." }),
  port: portField.optional().meta({ description: "This team's port, or a template filled from its vars." }),
  timeout: timeoutField.optional().meta({ description: "This team's deadline, seconds, or a template filled from its vars." }),
  params: paramsField
    .optional()
    .meta({ description: "Merged over the service's params key by key (a key given here replaces that key's whole value); validated with the type's schema for this team." }),
  points: notOverridable('points are the same for every team, so scores compare; change the service\'s points'),
  name: notOverridable('the key under overrides names the service'),
  type: notOverridable('the check type is the same for every team; a multi type picks one per team with resolveMulti'),
  credentials: notOverridable('per-team credentials come from Team Specific Info (passwordKey, usernameKey) or a pool'),
}).meta({ title: 'Service override', description: "One team's own values for fields of one service; the rest is the service's." });

/** One entry of `teams`. */
export const teamSchema = mapping({
  number: integer(1, 9_999).meta({ description: 'Team number, `{team}` in host templates; unique.' }),
  name: text('a team name', 64).optional().meta({ description: 'Display name; default "Team<number>". Unique.' }),
  vars: z
    .record(variableName, z.union([z.string(), z.int()], expected('a string or an integer')), expected('a mapping of variable: value'))
    .optional()
    .meta({ description: 'Variables for templates in host, port, timeout and params: `{name}` is replaced by the value.' }),
  overrides: z
    .record(pattern(`a service name ${NAME_RULE}`, NAME), serviceOverrideSchema, expected('a mapping of service name: fields'))
    .optional()
    .meta({ description: "This team's own values for fields of services (host, port, timeout, params), by service name." }),
});

/** The `tokens` section: secrets for the web pages. */
export const tokensSchema = mapping({
  admin: token.optional().meta({ description: 'Token of the admin pages.' }),
  teams: z
    .record(teamKey, token, expected('a mapping of team number: token'))
    .default({})
    .meta({ description: "Each team's token for its own page; all different." }),
});

/** The `web` section: how `serve` faces the competition network. */
export const webSchema = mapping({
  tlsCert: text('a file path', 1000).optional().meta({ description: "PEM certificate for HTTPS (relative to this file's folder); needs tlsKey." }),
  tlsKey: text('a file path', 1000).optional().meta({ description: "PEM private key for HTTPS (relative to this file's folder); needs tlsCert." }),
  allowedHosts: z
    .array(text('a host name', 253), expected('a list of host names'))
    .default([])
    .meta({ description: 'Names the pages are reached by, besides the bound address and localhost (Host-header allowlist against DNS rebinding).' }),
});

/** A whole competition file. */
export const competitionFileSchema = mapping({
  $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema (for editors).' }),
  name: text('a competition name', 200).meta({ description: 'Name of the competition.' }),
  plugins: z
    .array(text('a plugin (npm package name or path)', 500), expected('a list of plugins'))
    .default([])
    .meta({ description: "npm package names or paths (relative to this file's folder) of plugins with more check types." }),
  scan: scanSchema.prefault({}).meta({ description: 'When and how scans run.' }),
  teams: z
    .array(teamSchema, expected('a list of teams'))
    .min(1, expected('a list of at least one team'))
    .max(1_000, expected('a list of at most 1000 teams'))
    .meta({ description: 'The blue teams.' }),
  services: z
    .array(serviceSchema, expected('a list of services'))
    .min(1, expected('a list of at least one service'))
    .max(1_000, expected('a list of at most 1000 services'))
    .meta({ description: 'The services checked on every team.' }),
  teamInfo: z
    .record(teamKey, z.record(infoKey, text('a value', 4096, 0), expected('a mapping of key: value')), expected('a mapping of team number: values'))
    .default({})
    .meta({ description: 'Team Specific Info: team number → key → value (secrets).' }),
  pools: z
    .record(
      poolName,
      z.record(
        teamKey,
        z
          .array(mapping({ username, password }), expected('a list of {username, password}'))
          .min(1, expected('a list of at least one {username, password}')),
        expected('a mapping of team number: entries'),
      ),
      expected('a mapping of team number: entries'),
    )
    .default({})
    .meta({ description: 'Team Info Pools: pool name → team number → list of {username, password}.' }),
  tokens: tokensSchema.prefault({}).meta({ description: 'Secrets for the web pages.' }),
  web: webSchema.prefault({}).meta({ description: 'How `serve` faces the network: TLS and the names it answers to.' }),
});

/** A competition file after structural validation (defaults applied). */
export type CompetitionFile = z.output<typeof competitionFileSchema>;
/** One service entry after structural validation. */
export type ServiceEntry = z.output<typeof serviceSchema>;
/** One team entry after structural validation. */
export type TeamEntry = z.output<typeof teamSchema>;
/** One team's override of one service after structural validation. */
export type ServiceOverrideEntry = z.output<typeof serviceOverrideSchema>;
