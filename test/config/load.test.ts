import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCompetitionFile, parseCompetition } from '../../src/config/load-competition-file.js';
import { readPluginList } from '../../src/config/read-plugin-list.js';
import { ConfigError } from '../../src/errors.js';
import { edit, EXAMPLE_PATH, example } from './support.js';
import { testRegistry } from './test-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(path: string): Promise<string> {
  const err: unknown = await loadCompetitionFile(path, { registry: testRegistry() }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).message;
}

describe('loadCompetitionFile', () => {
  test('loads the example into the engine types, seconds as milliseconds', async () => {
    const loaded = await loadCompetitionFile(EXAMPLE_PATH, { registry: testRegistry() });
    expect(loaded.file).toBe(resolve(EXAMPLE_PATH));
    expect(loaded.plugins).toEqual([]);
    expect(loaded.settings).toEqual({ intervalMs: 60_000, jitterMs: 10_000, timeoutMs: 10_000, concurrency: 'auto', threads: 0, distributed: false });
    expect(loaded.tokens).toEqual({
      admin: 'admin-token-5f0c9a1e7b2d4c63',
      teams: { 1: 'team1-token-8a7e6f5d4c3b2a19', 2: 'team2-token-1b2c3d4e5f6a7b80', 3: 'team3-token-9e8d7c6b5a4f3e21' },
    });
    const { competition } = loaded;
    expect(competition.name).toBe('Regional Cyber Defense 2026');
    expect(competition.defaultTimeoutMs).toBe(10_000);
    expect(competition.teams).toEqual([
      { number: 1, name: 'Blue Falcons', vars: { dc: 'dc01' } },
      { number: 2, name: 'Red Herrings', vars: { dc: 'dc02' } },
      { number: 3, name: 'Team3', vars: { dc: 'dc03' } },
    ]);
    const byName = Object.fromEntries(competition.services.map((s) => [s.name, s]));
    expect(byName.web).toEqual({
      name: 'web',
      type: 'http',
      host: '10.{team}.1.10',
      port: 80,
      points: 2,
      params: { path: '/index.html', status: 200 },
      secretParams: [],
    });
    expect(byName.ssh).toMatchObject({
      timeoutMs: 15_000,
      credentials: { from: 'teamInfo', username: 'scoring', passwordKey: 'ssh_password' },
      secretParams: ['privateKey', 'passphrase'],
    });
    expect(byName.ftp!.credentials).toEqual({ from: 'pool', pool: 'ftp-users' });
    expect(byName.db!.credentials).toEqual({ from: 'explicit', username: 'scorebot', password: 'S3rvice-Ch3ck!' });
    expect(byName['db-admin']!.credentials).toEqual({ from: 'teamInfo', usernameKey: 'db_admin_user', passwordKey: 'db_admin_password' });
    expect(byName.inject).toMatchObject({ type: 'external', points: 5 });
    expect(competition.teamInfo?.[2]).toEqual({ ssh_password: 'Herring-ssh-4480', db_admin_user: 'dbadmin', db_admin_password: 'Herring-db-9054' });
    expect(competition.pools?.['ftp-users']?.[3]).toEqual([
      { username: 'dave', password: 'dave-ftp-8854' },
      { username: 'erin', password: 'erin-ftp-9965' },
    ]);
  });

  test('applies the documented defaults to a minimal file', () => {
    const { competition, settings, tokens, plugins } = parseCompetition(
      'name: Mini\nteams: [{ number: 4, vars: { octet: 20 } }]\nservices: [{ name: ping, type: tcp, host: "10.{octet}.{team}.1" }]\n',
      { registry: testRegistry() },
    );
    expect(settings).toEqual({ intervalMs: 60_000, jitterMs: 0, timeoutMs: 10_000, concurrency: 'auto', threads: 0, distributed: false });
    expect(tokens).toEqual({ admin: undefined, teams: {} });
    expect(plugins).toEqual([]);
    expect(competition.teams).toEqual([{ number: 4, name: 'Team4', vars: { octet: '20' } }]);
    expect(competition.services).toEqual([{ name: 'ping', type: 'tcp', host: '10.{octet}.{team}.1', points: 1, params: {}, secretParams: [] }]);
    expect(competition.teamInfo).toEqual({});
    expect(competition.pools).toEqual({});
  });

  test('names the file as given in error lines', async () => {
    const path = writeTemp('bad.yaml', edit(example, 'port: 80', 'port: 0'));
    expect(await loadError(path)).toBe(`${path}: services[0].port: expected an integer 1..65535, got 0`);
  });

  test('a missing file or a directory is a one-line ConfigError', async () => {
    expect(await loadError(join(dir, 'nope.yaml'))).toBe(`${join(dir, 'nope.yaml')}: (file): expected a readable file, got no such file`);
    expect(await loadError(dir)).toBe(`${dir}: (file): expected a readable file, got a directory`);
  });

  test('reads no more than the size cap from disk', async () => {
    const path = writeTemp('huge.yaml', `${example}#${'x'.repeat(6 * 1024 * 1024)}\n`);
    expect(await loadError(path)).toBe(`${path}: (file): expected at most 5 MiB, got a larger file`);
  });
});

describe('readPluginList', () => {
  test('returns the plugins as written, before their check types are known', async () => {
    const text = edit(example, 'plugins: []', 'plugins: [scorekeeper-plugin-winrm, ./plugins/custom.js]').replace('type: http', 'type: winrm');
    const path = writeTemp('plugins.yaml', text);
    expect(await readPluginList(path)).toEqual(['scorekeeper-plugin-winrm', './plugins/custom.js']);
  });

  test('an absent list is empty', async () => {
    expect(await readPluginList(writeTemp('none.yaml', 'name: x\n'))).toEqual([]);
  });

  test('reports problems of the list itself and of the YAML only', async () => {
    const path = writeTemp('badplugins.yaml', 'name: 5\nplugins: [ok, 7]\n');
    await expect(readPluginList(path)).rejects.toThrow(
      new ConfigError(`${path}: plugins[1]: expected a plugin (npm package name or path) (a non-empty string of at most 500 characters), got 7`),
    );
    const broken = writeTemp('broken.yaml', 'plugins: [a\n');
    await expect(readPluginList(broken)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('docs/configuration.md', () => {
  test('shows the example file as it is', () => {
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(docs).toContain(`\`\`\`yaml\n${example}\`\`\``);
  });
});
