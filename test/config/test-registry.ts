/**
 * A registry of small fake check types with params schemas, so the loader's tests do
 * not depend on the real built-in checks.
 */
import { z } from 'zod';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';

class FakeHttp extends ServiceType {
  readonly shortName: string = 'http';
  override readonly paramsSchema = z.strictObject({
    path: z.string().startsWith('/').default('/'),
    status: z.int().min(100).max(599).default(200),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  });
}
class FakeHttps extends FakeHttp {
  override readonly shortName = 'https';
}
class FakeSsh extends ServiceType {
  readonly shortName = 'ssh';
  override readonly paramsSchema = z.strictObject({
    command: z.string().min(1).optional(),
    privateKey: z.string().min(1).optional(),
    passphrase: z.string().optional(),
  });
  override readonly secretParams = ['privateKey', 'passphrase'];
}
class FakeFtp extends ServiceType {
  readonly shortName = 'ftp';
  override readonly paramsSchema = z.strictObject({ file: z.string().min(1).optional() });
}
class FakeDns extends ServiceType {
  readonly shortName = 'dns';
  override readonly paramsSchema = z.strictObject({
    name: z.string().min(1),
    type: z.enum(['A', 'AAAA', 'MX', 'TXT']).default('A'),
    expect: z.array(z.string()).default([]),
  });
}
class FakeMysql extends ServiceType {
  readonly shortName = 'mysql';
  override readonly paramsSchema = z.strictObject({ query: z.string().min(1).optional(), database: z.string().optional() });
}
/** No params schema: any params are accepted. */
class FakeTcp extends ServiceType {
  readonly shortName = 'tcp';
}

/** A new registry holding the fake types http, https, ssh, ftp, dns, mysql and tcp. */
export function testRegistry(): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const cls of [FakeHttp, FakeHttps, FakeSsh, FakeFtp, FakeDns, FakeMysql, FakeTcp]) registry.register(cls);
  return registry;
}
