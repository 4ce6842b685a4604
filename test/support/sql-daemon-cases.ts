/**
 * The cases the SQL checks (mysql, postgresql) share against a real server of their own:
 * log in and read the expected value, a wrong password (rejected with the server's code,
 * never shown), wrong content, nothing listening. Call inside a describe block whose
 * beforeAll starts the server; every run must leave nothing open.
 */
import { expect, test } from 'vitest';
import type { ServiceType } from '../../src/service-type.js';
import { runCheck, type RunCheckResult, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort } from './daemon.js';
import { activeResources, expectNoLeakedResources } from './handles.js';

/** What differs between the SQL checks in these cases. */
export interface SqlDaemonCases {
  readonly check: () => ServiceType;
  /** Product name in the log line ("MySQL"). */
  readonly label: string;
  /**
   * The service once the server runs: host, port, username, password, points and
   * params.query (with params.database) reading `value`.
   */
  readonly service: () => ServiceInit & { readonly port: number; readonly username: string };
  /** What the query reads. */
  readonly value: string;
  /** How the server's rejection of a wrong password reads in the error ("28P01 invalid password"). */
  readonly rejected: string;
}

/** Defines the shared tests; returns the file's own `check(init)`: a run of the service with `init` over it. */
export function sqlDaemonCases(o: SqlDaemonCases): (init: Partial<ServiceInit>) => Promise<RunCheckResult> {
  const check = async (init: Partial<ServiceInit>) => {
    const before = activeResources();
    const r = await runCheck(o.check(), { ...o.service(), ...init }, { timeoutMs: 5000 });
    await expectNoLeakedResources(before);
    return r;
  };

  test('logs in and reads the expected value', async () => {
    const { host, port, username, points, params } = o.service();
    const r = await check({ params: { ...params, expect: o.value } });
    expect(r).toMatchObject({ score: points, error: null });
    expect(r.logs).toEqual([`team-1/${o.check().shortName}: Success Team1 : ${o.label} login as ${username} and query to ${host}:${port}`]);
  });

  test("a wrong password: the server's code, without the password in the message", async () => {
    const { host, port, username } = o.service();
    const r = await check({ password: 'not-the-pw-1' });
    expect(r).toMatchObject({ score: 0, error: `connected to ${host}:${port}; login as ${username} rejected (${o.rejected})` });
    expect(`${r.error} ${r.logs.join(' ')}`).not.toContain('not-the-pw-1');
  });

  test('wrong content', async () => {
    const r = await check({ params: { ...o.service().params, expect: `${o.value}-other` } });
    expect(r).toMatchObject({ score: 0, error: `query returned '${o.value}', expected '${o.value}-other'` });
  });

  test('nothing listening', async () => {
    const free = await freePort();
    expect(await check({ port: free })).toMatchObject({ score: 0, error: `connection refused by ${o.service().host}:${free}` });
  });

  return check;
}
