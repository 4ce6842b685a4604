/**
 * Issue 19, point 2: team variables reach `port` and every string of `params`, not only
 * `host`; a port template is checked per team, its error naming the team.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, MemoryStore, parseCompetition, ServiceRegistry, ServiceType, type Service } from '../../src/index.js';
import { scanOnce } from '../support/scan-once.js';

/** Reports what it was given: the port and the params, as its error text. */
class EchoCheck extends ServiceType {
  readonly shortName = 'echo';
  override doCheck(service: Service) {
    this.reportScore(service, service.points, `${service.port} ${JSON.stringify(service.params)}`);
  }
}

function registry(): ServiceRegistry {
  const r = new ServiceRegistry();
  r.register(EchoCheck);
  return r;
}

const FILE = `name: Templates
teams:
  - { number: 1, vars: { port: 5432, db: alpha } }
  - { number: 2, vars: { port: "3306", db: beta } }
services:
  - name: db
    type: echo
    host: "10.0.{team}.5"
    port: "{port}"
    points: 4
    params: { path: "/{db}/t{team}", nested: { list: ["{db}", 7, "plain {not a var}"] } }
`;

describe('team templates in port and params', () => {
  test('each team gets its own port and params; points stay the same', async () => {
    const { competition } = parseCompetition(FILE, { registry: registry() });
    const { of } = await scanOnce({ registry: registry(), store: new MemoryStore() }, competition);
    expect(of(1, 'db')).toMatchObject({ score: 4, error: '5432 {"path":"/alpha/t1","nested":{"list":["alpha",7,"plain {not a var}"]}}' });
    expect(of(2, 'db')).toMatchObject({ score: 4, error: '3306 {"path":"/beta/t2","nested":{"list":["beta",7,"plain {not a var}"]}}' });
  });

  test('a port template that is not a port for a team, or a variable a team lacks, is refused naming the team', () => {
    const bad = FILE.replace('vars: { port: "3306", db: beta }', 'vars: { port: "http", db: beta }').replace('- { number: 1, vars: { port: 5432, db: alpha } }', '- { number: 1, vars: { port: 5432 } }');
    const err = (() => {
      try {
        parseCompetition(bad, { registry: registry() });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('services[0] (db).port: expected a port 1..65535 for team 2 (Team2), got "http"');
    expect(message).toContain('services[0].params: expected {db} to be set in vars of every team, got no value for team 1');
  });

  test('a non-template string port is still refused', () => {
    expect(() => parseCompetition(FILE.replace('port: "{port}"', 'port: "http"'), { registry: registry() })).toThrow(
      'services[0].port: expected an integer 1..65535, or a template such as "{port}", got "http"',
    );
  });
});
