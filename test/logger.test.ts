import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { ServiceType } from '../src/service-type.js';
import type { Service } from '../src/types.js';
import { competitionOf, registryOf, runScan } from './support/recording-types.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ destination }) };
}

class Ssh extends ServiceType {
  readonly shortName = 'ssh';
  override readonly secretParams = ['key'];
  override doCheck(service: Service) {
    const { username, password } = this.getCredentials(service);
    // A careless check writes the password and a secret param into its action text.
    this.log(service, `login as ${username} with ${password} key ${String(service.params.key)}`, service.team.number !== 7);
    this.reportScore(service, service.team.number === 7 ? 0 : 1, service.team.number === 7 ? 'login rejected' : null);
  }
}

describe('check log lines', () => {
  test('the documented line, actor name first, structured fields, and no secrets', async () => {
    const { lines, logger } = capture();
    const competition = competitionOf(7, [{ name: 'ssh', type: 'ssh', host: '10.{team}.1.20', params: { key: 'PRIVATE-KEY-DATA' }, credentials: { from: 'teamInfo', username: 'alice', passwordKey: 'pw' } }], {
      teamInfo: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [i + 1, { pw: `Sup3rSecret${i + 1}` }])),
    });
    await runScan(registryOf(Ssh), competition, { logger });
    logger.flush();
    await new Promise((r) => setImmediate(r));
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const t7 = records.find((r) => r.team === 7)!;
    expect(t7.msg).toBe('team-7/ssh: FAIL Team7 : SSH login as alice with [redacted] key [redacted] to 10.7.1.20');
    expect(t7).toMatchObject({ team: 7, service: 'ssh', type: 'ssh', ok: false, protocol: 'SSH', host: '10.7.1.20', action: 'login as alice with [redacted] key [redacted]' });
    expect(typeof t7.scan).toBe('string');
    expect(records.find((r) => r.team === 1)!.msg).toBe('team-1/ssh: Success Team1 : SSH login as alice with [redacted] key [redacted] to 10.1.1.20');
    const all = lines.join('\n');
    expect(all).not.toContain('Sup3rSecret');
    expect(all).not.toContain('PRIVATE-KEY-DATA');
  });

  test('pino redacts password and token fields wherever they appear', async () => {
    const { lines, logger } = capture();
    logger.info({ password: 'p1', user: { password: 'p2' }, token: 't1', ok: true }, 'x');
    logger.flush();
    await new Promise((r) => setImmediate(r));
    expect(lines.join('')).not.toMatch(/p1|p2|t1/);
  });
});
