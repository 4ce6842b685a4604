/**
 * DATABASE_URL (issue 20, point 3): a URL that is not a PostgreSQL URL is a configuration
 * error at once (exit 3); a server that refuses the login says why in one line (exit 4),
 * without the retries meant for an unreachable server.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

/** A PostgreSQL ErrorResponse with severity FATAL, `code` and `message`. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[['S', 'FATAL'], ['V', 'FATAL'], ['C', code], ['M', message]].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/** A server that asks for a password and refuses it, as PostgreSQL does for a wrong one. */
let refusing: Server;
let refusingPort: number;

beforeAll(async () => {
  refusing = createServer((socket) => {
    let startup = true;
    socket.on('data', () => {
      if (startup) {
        startup = false;
        const ask = Buffer.alloc(9);
        ask.write('R', 0);
        ask.writeInt32BE(8, 1);
        ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
        socket.write(ask);
      } else {
        socket.end(errorResponse('28P01', 'password authentication failed for user "scorer"'));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  refusingPort = (refusing.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
});

describe('DATABASE_URL', () => {
  test.each([
    ['not a url', /DATABASE_URL is not a URL; expected postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/],
    ['mysql://root@127.0.0.1:3306/test', /DATABASE_URL must be a PostgreSQL URL .* not mysql:\/\/…/],
  ])('%s is a configuration error at once', async (url, message) => {
    for (const args of [['results', '--competition', 'x'], ['migrate']]) {
      const started = performance.now();
      const run = await runCli(args, { DATABASE_URL: url });
      const ms = Math.round(performance.now() - started);
      console.log(`DATABASE_URL='${url}' ${args[0]}: exit ${run.code} in ${ms} ms`);
      expect(run.code).toBe(3);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      // No retries: the process' own start is most of this.
      expect(ms).toBeLessThan(20_000);
    }
  }, 60_000);

  test('a wrong password gets its own line, not retries', async () => {
    const run = await runCli(['results', '--competition', 'x'], { DATABASE_URL: `postgres://scorer:wrong@127.0.0.1:${refusingPort}/scores` });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr.trim()).toBe(
      'scorekeeper: the PostgreSQL server refused the login: password authentication failed for user "scorer" (check the password in DATABASE_URL)',
    );
    expect(run.stderr).not.toContain('wrong');
  }, 60_000);

  test('an unknown database gets its own line (the test server on 127.0.0.1:5432)', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sk_no_such_database_issue20' });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr.trim()).toBe(
      'scorekeeper: the PostgreSQL server refused the login: database "sk_no_such_database_issue20" does not exist (check the database name in DATABASE_URL, or create it with createdb)',
    );
  }, 60_000);
});
