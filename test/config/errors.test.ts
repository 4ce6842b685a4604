/**
 * One test per kind of mistake in a competition file, each asserting the exact error
 * lines: file, path, what was expected, what was found. Most are a row of the tables
 * below (edits of the example, files broken from the start); the rest need more.
 */
import { describe, expect, test } from 'vitest';
import { parseCompetition } from '../../src/config/load-competition-file.js';
import { MAX_FILE_BYTES } from '../../src/config/parse-yaml.js';
import { edit, errorLines, example, exampleSecrets } from './support.js';
import { testRegistry } from './test-registry.js';

/** A mistake made by editing the example: the text replaced, its replacement, the error lines expected. */
type Mistake = readonly [from: string | RegExp, to: string, lines: readonly string[]];

/** Kinds of mistake, each made by one or more edits of the example. */
const mistakes: readonly { name: string; edits: readonly Mistake[] }[] = [
  { name: 'a value of the wrong type', edits: [['port: 80', 'port: abc', ['competition.yaml: services[0].port: expected an integer 1..65535, or a template such as "{port}", got "abc"']]] },
  { name: 'a number out of range', edits: [['port: 80', 'port: 70000', ['competition.yaml: services[0].port: expected an integer 1..65535, got 70000']]] },
  { name: 'a missing required field', edits: [['    host: "10.{team}.1.10"\n', '', ['competition.yaml: services[0].host: expected a host or host template without spaces (at most 253 characters), got nothing']]] },
  { name: 'an unknown field, with the closest known one', edits: [['    points: 2', '    pionts: 2', ['competition.yaml: services[0].pionts: expected one of the fields name, type, host, port, points, timeout, params, credentials, zone (did you mean \'points\'?), got an unknown field']]] },
  { name: 'an unknown check type lists the close names', edits: [['type: http', 'type: htp', ["competition.yaml: services[0].type: expected a registered check type (did you mean 'ftp' or 'http'?), got \"htp\""]]] },
  { name: 'an unknown check type with no close name lists the registered ones', edits: [['type: http', 'type: gopher', ['competition.yaml: services[0].type: expected one of the registered check types dns, ftp, http, https, mysql, ssh, tcp, external, got "gopher"']]] },
  {
    name: "params that fail the type's params schema",
    edits: [
      ['path: /index.html', 'path: 42', ['competition.yaml: services[0].params.path: expected a string, got 42']],
      ['path: /index.html', 'path: index.html\n      verb: GET', [
        'competition.yaml: services[0].params.path: expected a string starting with "/", got "index.html"',
        'competition.yaml: services[0].params.verb: expected one of the fields path, status, method, got an unknown field',
      ]],
    ],
  },
  { name: "a param the type declares secret is never shown", edits: [['command: "uname -a"', 'privateKey: 12345678', ['competition.yaml: services[1].params.privateKey: expected a string, got the value (an integer)']]] },
  { name: 'an unknown pool', edits: [['pool: ftp-users', 'pool: ftp-user', ["competition.yaml: services[2].credentials.pool: expected one of the pools ftp-users (did you mean 'ftp-users'?), got \"ftp-user\""]]] },
  {
    name: 'a pool with no entries for some team',
    edits: [
      [/ {4}3:\n {6}- \{ username: dave.*\n.*\n/, '', ['competition.yaml: pools.ftp-users: expected entries for every team, got none for team 3']],
      ['- { username: carol, password: "carol-ftp-7743" }', '[]', ['competition.yaml: pools.ftp-users.2: expected a list of at least one {username, password}, got an empty list']],
    ],
  },
  { name: 'a Team Specific Info key missing for a team that a service uses', edits: [['ssh_password: "Team3-ssh-1162", ', '', ['competition.yaml: services[1].credentials.passwordKey: expected teamInfo.<team>.ssh_password for every team, got no value for team 3']]] },
  {
    name: 'names inherited by every JavaScript object are not taken for configured ones',
    edits: [
      ['passwordKey: ssh_password', 'passwordKey: constructor', ['competition.yaml: services[1].credentials.passwordKey: expected teamInfo.<team>.constructor for every team, got no value for team 1, team 2, team 3']],
      ['"10.{team}.1.10"', '"10.{team}.{toString}.1"', ['competition.yaml: services[0].host: expected {toString} to be set in vars of every team, got no value for team 1, team 2, team 3']],
    ],
  },
  {
    name: 'Team Specific Info, pools or tokens for a team that does not exist',
    edits: [
      ['  3: { ssh_password', '  7: { ssh_password', [
        'competition.yaml: teamInfo.7: expected one of the team numbers 1, 2, 3, got team 7, which is not under teams',
        'competition.yaml: services[1].credentials.passwordKey: expected teamInfo.<team>.ssh_password for every team, got no value for team 3',
        'competition.yaml: services[5].credentials.usernameKey: expected teamInfo.<team>.db_admin_user for every team, got no value for team 3',
        'competition.yaml: services[5].credentials.passwordKey: expected teamInfo.<team>.db_admin_password for every team, got no value for team 3',
      ]],
    ],
  },
  { name: 'duplicate team names, including default ones', edits: [['name: Red Herrings', 'name: team3', ['competition.yaml: teams[2].name: expected a unique team name, got "Team3" (also teams[1])']]] },
  { name: 'duplicate service names', edits: [['name: db-admin', 'name: db', ['competition.yaml: services[5].name: expected a unique service name, got "db" (also services[4])']]] },
  { name: 'a host template variable undefined for a team', edits: [['vars: { dc: dc03 }', 'vars: { site: x }', ['competition.yaml: services[2].host: expected {dc} to be set in vars of every team, got no value for team 3']]] },
  {
    name: 'a timeout template that gives no timeout for a team names the service and the team',
    edits: [['timeout: 15', 'timeout: "{dc}"', [1, 2, 3].map((n) => `competition.yaml: services[1] (ssh).timeout: expected a number of seconds 0.001..3600 for team ${n} (${['Blue Falcons', 'Red Herrings', 'Team3'][n - 1]}), got "dc0${n}"`)]],
  },
  {
    name: "a team's override: a bad value, points, an unknown service, a secret param",
    edits: [
      ['vars: { dc: dc02 }', 'vars: { dc: dc02 }\n    overrides: { web: { port: 70000 } }', ['competition.yaml: teams[1] (Red Herrings).overrides.web.port: expected an integer 1..65535, got 70000']],
      ['vars: { dc: dc02 }', 'vars: { dc: dc02 }\n    overrides: { web: { points: 5 } }', ["competition.yaml: teams[1] (Red Herrings).overrides.web.points: expected no such override (points are the same for every team, so scores compare; change the service's points), got 5"]],
      ['vars: { dc: dc02 }', 'vars: { dc: dc02 }\n    overrides: { wbe: { port: 81 } }', ["competition.yaml: teams[1] (Red Herrings).overrides.wbe: expected one of the services web, ssh, ftp, dns, db, db-admin, inject (did you mean 'web'?), got \"wbe\", which is not under services"]],
      ['vars: { dc: dc02 }', 'vars: { dc: dc02 }\n    overrides: { ssh: { params: { privateKey: 12345678 } } }', ['competition.yaml: teams[1] (Red Herrings).overrides.ssh.params.privateKey: expected a string, got the value (an integer)']],
    ],
  },
  { name: 'a malformed host template', edits: [['"10.{team}.1.10"', '"10.{team.1.10"', ['competition.yaml: services[0].host: expected a host template with {variable} placeholders, got "10.{team.1.10" (a \'{\' without its \'}\')']]] },
  { name: 'a team variable with a reserved or malformed name', edits: [['vars: { dc: dc01 }', 'vars: { dc: dc01, team: 4 }', ["competition.yaml: teams[0].vars.team: expected a variable name of letters, digits or _ (not starting with a digit, not 'team'), got the key \"team\""]]] },
  { name: 'a YAML syntax error, with line and column', edits: [['  interval: 60', '  interval: [60', ['competition.yaml: line 14:3: expected consistent indentation, got a line indented wrongly for its block']]] },
  { name: 'a duplicate key', edits: [['  jitter: 10', '  jitter: 10\n  jitter: 11', ['competition.yaml: line 15:3: expected unique keys in each mapping, got a key that is already set above']]] },
  { name: 'a password that is not a string is described, never shown', edits: [['password: "S3rvice-Ch3ck!"', 'password: 12345', ['competition.yaml: services[4].credentials.password: expected a password (a string of at most 1024 characters), got the value (an integer)']]] },
  {
    name: 'credentials mixing two forms are reported against the form their keys name',
    edits: [
      ['pool: ftp-users', 'pool: ftp-users\n      password: "S3rvice-Ch3ck!"', ['competition.yaml: services[2].credentials.password: expected one of the fields pool, got an unknown field']],
      ['usernameKey: db_admin_user', 'usernameKey: db_admin_user\n      username: root', ['competition.yaml: services[5].credentials.usernameKey: expected username or usernameKey, not both, got "db_admin_user"']],
    ],
  },
  { name: 'a configured secret that turns up in another field is replaced by "the value"', edits: [['"10.{team}.1.10"', '"S3rvice-Ch3ck!{"', ['competition.yaml: services[0].host: expected a host template with {variable} placeholders, got "the value{" (a \'{\' without its \'}\')']]] },
  { name: 'Team Specific Info credentials with no username', edits: [['      username: scoring\n', '', ['competition.yaml: services[1].credentials.username: expected a username, or a usernameKey naming the Team Specific Info that holds it, got nothing']]] },
  {
    name: 'a web token that is too short, or the same as another',
    edits: [
      ['"team2-token-1b2c3d4e5f6a7b80"', '"short"', ['competition.yaml: tokens.teams.2: expected a token of 16..256 characters, got the value (a string of 5 characters)']],
      ['"team2-token-1b2c3d4e5f6a7b80"', '"team1-token-8a7e6f5d4c3b2a19"', ['competition.yaml: tokens.teams.2: expected a token different from tokens.teams.1, got the same value']],
    ],
  },
  {
    name: 'scan jitter not below the interval, and timeouts above it',
    edits: [
      ['jitter: 10 ', 'jitter: 60 ', ['competition.yaml: scan.jitter: expected less than scan.interval (60), got 60']],
      ['timeout: 15', 'timeout: 90', ['competition.yaml: services[1].timeout: expected at most scan.interval (60), got 90']],
    ],
  },
  { name: 'a plugin listed twice', edits: [['plugins: []', 'plugins: [scorekeeper-plugin-x, scorekeeper-plugin-x]', ['competition.yaml: plugins[1]: expected each plugin listed once, got "scorekeeper-plugin-x" again']]] },
  { name: 'line breaks and invisible characters in a found value are escaped', edits: [['port: 80', 'port: "8\\u20280\\u202e"', ['competition.yaml: services[0].port: expected an integer 1..65535, or a template such as "{port}", got "8\\u20280\\u202e"']]] },
  { name: 'credentials of no known form are never shown', edits: [[/credentials: {21}# the same for every team\n.*\n.*\n/, 'credentials: "S3rvice-Ch3ck!"\n', ['competition.yaml: services[4].credentials: expected credentials: {username, password}, {passwordKey, username or usernameKey} or {pool}, got the value (a string of 14 characters)']]] },
  {
    name: 'a key that may hold a secret (a missing space after the colon) is not shown',
    edits: [
      [/username: scorebot\n {6}password: "S3rvice-Ch3ck!"/, 'username: scorebot\n      password:S3rvice-Ch3ck!: x', [
        'competition.yaml: services[4].credentials.password: expected a password (a string of at most 1024 characters), got nothing',
        'competition.yaml: services[4].credentials[?]: expected one of the fields username, password, got an unknown field (its name is not shown: it may hold a secret)',
      ]],
    ],
  },
];

/** Files that are wrong from the start: the text, the error lines expected. */
const brokenFiles: readonly { name: string; files: readonly (readonly [text: string, lines: readonly string[]])[] }[] = [
  { name: 'tabs used for indentation', files: [['name: x\nscan:\n\tinterval: 5\n', ['competition.yaml: line 3:1: expected spaces for indentation, got a tab']]] },
  { name: 'an alias with no anchor', files: [['name: *nowhere\n', ['competition.yaml: (document): expected every alias (*name) to refer to an anchor (&name) set above it, got an alias with no such anchor']]] },
  {
    name: 'a top level that is not a mapping',
    files: [
      ['- a\n- b\n', ['competition.yaml: (root): expected a mapping with name, teams and services, got a list']],
      ['', ['competition.yaml: (root): expected a mapping with name, teams and services, got an empty document']],
      ['just words', ['competition.yaml: (root): expected a mapping with name, teams and services, got a string']],
    ],
  },
];

describe('competition file errors', () => {
  test('the example itself is valid', () => {
    expect(() => parseCompetition(example, { registry: testRegistry() })).not.toThrow();
  });

  test.for(mistakes)('$name', ({ edits }) => {
    for (const [from, to, lines] of edits) expect(errorLines(edit(example, from, to))).toEqual(lines);
  });

  test.for(brokenFiles)('$name', ({ files }) => {
    for (const [text, lines] of files) expect(errorLines(text)).toEqual(lines);
  });

  test('duplicate team numbers', () => {
    expect(errorLines(edit(example, '  - number: 3 ', '  - number: 2 ')).slice(0, 1)).toEqual([
      'competition.yaml: teams[2].number: expected a unique team number, got 2 (also teams[1])',
    ]);
  });

  test('an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${`*${'abcdefgh'[i]}, `.repeat(10).slice(0, -2)}]`)].join('\n');
    expect(errorLines(bomb)).toEqual(['competition.yaml: (document): expected at most 100 alias expansions, got more (an alias bomb?)']);
  });

  test('deep nesting is refused before it is parsed', () => {
    const started = performance.now();
    expect(errorLines(`name: ${'['.repeat(1_000_000)}`)).toEqual([
      'competition.yaml: line 1:39: expected at most 32 levels of nesting, got deeper nesting',
    ]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('a file over the size cap', () => {
    expect(MAX_FILE_BYTES).toBe(5 * 1024 * 1024);
    expect(errorLines(`${example}#${'x'.repeat(6 * 1024 * 1024)}\n`)).toEqual(['competition.yaml: (file): expected at most 5 MiB, got 6 MiB']);
  });

  test('bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('name: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(errorLines(bytes)).toEqual(['competition.yaml: (file): expected UTF-8 text, got bytes that are not valid UTF-8']);
  });

  test('every problem is reported, one per line, with no secret and no stack', () => {
    let text = edit(example, 'port: 80', 'port: abc');
    text = edit(text, 'type: ftp', 'type: fpt');
    text = edit(text, 'password: "S3rvice-Ch3ck!"', 'password: ["S3rvice-Ch3ck!"]');
    text = edit(text, 'name: db-admin', 'name: web');
    const lines = errorLines(text, 'ccdc.yaml');
    expect(lines).toEqual([
      'ccdc.yaml: services[0].port: expected an integer 1..65535, or a template such as "{port}", got "abc"',
      'ccdc.yaml: services[4].credentials.password: expected a password (a string of at most 1024 characters), got a list',
      'ccdc.yaml: services[5].name: expected a unique service name, got "web" (also services[0])',
      "ccdc.yaml: services[2].type: expected a registered check type (did you mean 'ftp'?), got \"fpt\"",
    ]);
    for (const secret of exampleSecrets) expect(lines.join('\n')).not.toContain(secret);
  });
});
