/**
 * Issue 19, point 2 (rest), through the built CLI as an organiser runs it: `scan --json`
 * on the embedded database, with check threads. The built-in multi-protocol `database`
 * check picks mysql or postgresql by each team's port (a template for one team, an
 * override for the other) against this machine's MariaDB and PostgreSQL; a plugin check
 * reports the port, deadline and params each team's check got. A bad override is
 * refused naming the team. Runs dist/ (npm run build first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ScanJson } from '../../src/cli/commands/scan.js';
import { runCli } from '../cli/run-cli.js';
import { tempDataDir } from '../support/pg.js';

const dir = mkdtempSync(join(tmpdir(), 'sk-i19-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plugin = join(import.meta.dirname, '../fixtures/plugins/team-values-plugin');

// PostgreSQL trusts local logins (any password); MariaDB's root has none on 127.0.0.1.
const FILE = `name: override-cup
plugins: [${JSON.stringify(plugin)}]
scan: { interval: 30, timeout: 10, threads: 1 }
teams:
  - { number: 1, name: Alpha, vars: { dbport: 5432, t: 8 } }
  - name: Bravo
    number: 2
    vars: { t: "6.5" }
    overrides:
      db: { port: 3306, params: { query: "SELECT 40 + 2", expect: "42" } }
      web: { port: 8081, params: { path: /bravo } }
services:
  - name: db
    type: database
    host: 127.0.0.1
    port: "{dbport}"
    points: 5
    params: { query: "SELECT 6 * 7", expect: "42" }
    credentials: { usernameKey: db_user, passwordKey: db_password }
  - name: web
    type: echo
    host: "web.team{team}"
    port: 80
    timeout: "{t}"
    params: { path: /index.html }
teamInfo:
  1: { db_user: postgres, db_password: "any" }
  2: { db_user: root, db_password: "" }
`;

describe('per-team values through `scorekeeper scan`', () => {
  test('a multi-protocol check runs the type each team\'s port calls for; overrides and a timeout template reach the checks', { timeout: 120_000 }, async () => {
    const config = join(dir, 'competition.yaml');
    writeFileSync(config, FILE);
    const data = await tempDataDir({ initialized: true });
    try {
      const scan = await runCli(['scan', '--config', config, '--json', '--data', data]);
      expect(scan.code, scan.stderr).toBe(0);
      const { results } = JSON.parse(scan.stdout) as ScanJson;
      const of = (team: number, service: string) => results.find((r) => r.team === team && r.service === service);
      expect(of(1, 'db')).toMatchObject({ resolvedType: 'postgresql', score: 5, error: null });
      expect(of(2, 'db')).toMatchObject({ resolvedType: 'mysql', score: 5, error: null });
      expect(of(1, 'web')).toMatchObject({ score: 1, error: 'web.team1:80 timeoutMs=8000 params={"path":"/index.html"} thread=worker' });
      expect(of(2, 'web')).toMatchObject({ score: 1, error: 'web.team2:8081 timeoutMs=6500 params={"path":"/bravo"} thread=worker' });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  test('an override of a field that cannot differ per team, or of an unknown service, names the team', { timeout: 60_000 }, async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, FILE.replace('web: { port: 8081, params: { path: /bravo } }', 'web: { port: 0 }\n      dbs: { points: 10 }'));
    const scan = await runCli(['scan', '--config', config, '--json']);
    expect(scan.code).not.toBe(0);
    expect(scan.stderr).toContain(`${config}: teams[1] (Bravo).overrides.web.port: expected an integer 1..65535, got 0`);
    expect(scan.stderr).toContain(`${config}: teams[1] (Bravo).overrides.dbs: expected one of the services db, web (did you mean 'db'?), got "dbs", which is not under services`);
  });
});
