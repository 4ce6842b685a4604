/**
 * Issue 25: the web server's last error paths, probed as an attacker would: a broken
 * cookie or request target, control characters in a stored value, a link that switches
 * someone's session, and a large body sent without a token.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TeamInfoChange } from '../../src/db/team-info.js';
import { ServiceRegistry } from '../../src/registry.js';
import type { ScannerStore } from '../../src/web/scanner-api.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { SECRETS, TOKENS, bearer, http, secretCompetition } from './support.js';

/** A scanner store that keeps the password changes it was given. */
function fakeScannerStore(): ScannerStore & { changes: TeamInfoChange[] } {
  const changes: TeamInfoChange[] = [];
  return {
    changes,
    results: () => Promise.resolve([]),
    scores: () => Promise.resolve([]),
    teamInfo: () => Promise.resolve({}),
    setTeamInfo: (change) => {
      changes.push(change);
      return Promise.resolve({ effectiveRound: 1 });
    },
  };
}

let web: WebServer;
const store = fakeScannerStore();

beforeAll(async () => {
  const competition = secretCompetition(2, [{ name: 'www', type: 'web' }, { name: 'ssh', type: 'web' }]);
  web = await startWebServer({ tokens: TOKENS, competition, store, registry: new ServiceRegistry() });
});
afterAll(() => web.close());

describe('malformed requests are 4xx, never 500', () => {
  test('a cookie that is not valid percent-encoding is ignored, as no cookie', async () => {
    for (const path of ['/api/whoami', '/api/scanner']) {
      const res = await http(`${web.url}${path}`, { headers: { Cookie: 'sk_token=%E0%A4%A' } });
      expect(res.status).toBe(401);
      expect(res.body).not.toMatch(/URI malformed/);
    }
    // Beside a valid credential it changes nothing.
    expect((await http(`${web.url}/api/whoami`, { headers: { Cookie: 'sk_token=%E0%A4%A', ...bearer(SECRETS.team1Token) } })).status).toBe(200);
    expect((await http(`${web.url}/api/whoami`, { headers: { Cookie: `sk_token=%E0%A4%A; sk_token=${SECRETS.team1Token}` } })).status).toBe(200);
  });

  test('a request target that is not a URL is a 400', async () => {
    const res = await http(`${web.url}//x:99999/api/whoami`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'malformed request target' });
  });
});

describe('stored text values', () => {
  const change = (value: string) =>
    http(`${web.url}/api/password`, { method: 'POST', headers: { ...bearer(SECRETS.team1Token), 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'rootpw', value }) });

  test('control characters and unpaired surrogates are refused with a 400 naming the field', async () => {
    for (const [value, problem] of [
      ['new\u0000pw', 'a control character (U+0000) at character 4'],
      ['\u001b[2Jpw', 'a control character (U+001B) at character 1'],
      ['pw\u007f', 'a control character (U+007F) at character 3'],
      ['pw\ud800', 'an unpaired surrogate (U+D800) at character 3'],
      ['\udc00pw', 'an unpaired surrogate (U+DC00) at character 1'],
    ] as const) {
      const res = await change(value);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: `value contains ${problem}` });
    }
    expect(store.changes).toEqual([]);
  });

  test('any other text is stored as sent', async () => {
    const value = 'pässwörd 😀 "quoted" \\ ok';
    expect((await change(value)).status).toBe(200);
    expect(store.changes.at(-1)).toEqual({ competition: 'viz-cup', team: 1, key: 'rootpw', value });
  });
});
