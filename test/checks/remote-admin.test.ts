/**
 * remote-admin resolution, in a registry of its own with small stand-ins for ssh and
 * rdp (the real ones are tested in their own files): the port picks the protocol,
 * params.protocol covers other ports, and the engine runs the resolved type.
 */
import { describe, expect, test } from 'vitest';
import { RemoteAdminCheck } from '../../src/checks/remote-admin.js';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import { makeService, runCheck } from '../../src/testing/run-check.js';
import type { Service } from '../../src/types.js';

/** Stand-in that reports full points and logs what it was given. */
abstract class Recorder extends ServiceType {
  override doCheck(service: Service): void {
    this.log(service, `${this.shortName} on ${service.host}:${service.port ?? '-'} params=${JSON.stringify(service.params)}`, true);
    this.reportScore(service, service.points, null);
  }
}
class FakeSsh extends Recorder {
  readonly shortName = 'ssh';
}
class FakeRdp extends Recorder {
  readonly shortName = 'rdp';
}

function registry(...extra: (typeof FakeSsh | typeof FakeRdp)[]): ServiceRegistry {
  const r = new ServiceRegistry();
  r.register(RemoteAdminCheck);
  for (const cls of extra) r.register(cls);
  return r;
}

const both = registry(FakeSsh, FakeRdp);

describe('remote-admin', () => {
  test('is a multi type', () => {
    expect(new RemoteAdminCheck().kind).toBe('multi');
    expect(both.list().find((t) => t.shortName === 'remote-admin')).toMatchObject({ kind: 'multi' });
  });

  test('port 22 runs ssh, port 3389 runs rdp', async () => {
    const ssh = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 22, points: 4 }, { registry: both });
    expect(ssh).toMatchObject({ score: 4, error: null, resolvedType: 'ssh' });
    expect(ssh.logs).toEqual(['team-1/remote-admin: Success Team1 : SSH ssh on 10.7.1.20:22 params={} to 10.7.1.20:22']);
    expect(ssh.states).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
    const rdp = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.21', port: 3389, points: 4 }, { registry: both });
    expect(rdp).toMatchObject({ score: 4, error: null, resolvedType: 'rdp' });
  });

  test('another port uses params.protocol; the other params, without protocol, reach the resolved type', async () => {
    const r = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 2222, params: { protocol: 'ssh', command: 'id' } }, { registry: both });
    expect(r).toMatchObject({ score: 1, error: null, resolvedType: 'ssh' });
    expect(r.logs[0]).toContain('params={"command":"id"}');
    const rdp = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 13389, params: { protocol: 'rdp' } }, { registry: both });
    expect(rdp.resolvedType).toBe('rdp');
  });

  test('params.protocol wins over the port', async () => {
    const r = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 22, params: { protocol: 'rdp' } }, { registry: both });
    expect(r.resolvedType).toBe('rdp');
  });

  test('an unknown port without params.protocol fails with what to do', async () => {
    const r = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 2222 }, { registry: both });
    expect(r).toMatchObject({ score: 0, resolvedType: undefined, timedOut: false });
    expect(r.error).toBe(
      "resolveMulti: team-1/remote-admin: cannot tell ssh from rdp: port 2222 is neither 22 (ssh) nor 3389 (rdp); set params.protocol to 'ssh' or 'rdp'",
    );
    expect(r.states).not.toContain('checking');
    const noPort = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20' }, { registry: both });
    expect(noPort.error).toContain('team-1/remote-admin: cannot tell ssh from rdp: no port is set;');
  });

  test('a protocol that is neither ssh nor rdp is a params error', async () => {
    const r = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 23, params: { protocol: 'telnet' } }, { registry: both });
    expect(r.score).toBe(0);
    expect(r.error).toMatch(/^resolveMulti: team-1\/remote-admin: params\.protocol: /);
  });

  test('resolving to a type the registry lacks names it', async () => {
    const r = await runCheck(new RemoteAdminCheck(), { host: '10.7.1.20', port: 3389 }, { registry: registry(FakeSsh) });
    expect(r).toMatchObject({ score: 0, resolvedType: undefined });
    expect(r.error).toBe("resolveMulti: unknown service type 'rdp' (named by resolveMulti() of 'remote-admin')");
  });

  test('resolveMulti on its own', () => {
    const type = new RemoteAdminCheck();
    expect(type.resolveMulti(makeService(type, { host: 'h', port: 22 }))).toBe('ssh');
    expect(type.resolveMulti(makeService(type, { host: 'h', port: 3389 }))).toBe('rdp');
    expect(() => type.resolveMulti(makeService(type, { host: 'h', port: 80 }))).toThrow(/port 80 is neither 22 \(ssh\) nor 3389 \(rdp\)/);
  });
});
