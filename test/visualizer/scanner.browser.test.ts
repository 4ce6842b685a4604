/**
 * The service scanner page in headless Chromium over the embedded store after real
 * scans: a team token sees only its own row and messages (page and API), can submit a
 * password change; the admin sees every team and runs an unscored "check now".
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEngine, engineCharts } from '../../src/engine.js';
import type { EmbeddedStore } from '../../src/store/embedded.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { tempDataDir } from '../support/pg.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { NO_BROWSER, SECRETS, TOKENS, assertNoSecrets, bearer, downWithTeamMessage, http, launchBrowser, secretCompetition } from './support.js';

const POLL = { timeout: 10_000, interval: 50 };
const competition = secretCompetition(3, [
  { name: 'www', type: 'web' },
  { name: 'ssh', type: 'refused' },
  { name: 'mail', type: 'web' },
]);
const registry = registryOf(recordingType('web', []), recordingType('refused', [], { behaviour: { do: 'custom', fn: downWithTeamMessage } }));
let store: EmbeddedStore;
let dataDir: string;
let web: WebServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

describe.skipIf(!!NO_BROWSER)('service scanner page', () => {
  beforeAll(async () => {
    dataDir = await tempDataDir({ initialized: true });
    store = await openEmbeddedStore({ dataDir });
    const engine = createEngine({ registry, store });
    for (let round = 0; round < 2; round++) await engine.scan(competition).summary;
    web = await startWebServer({ tokens: TOKENS, hub: new InspectionHub(engine), charts: engineCharts(), competition, store, registry });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("a team token sees only its own team's row and messages, in the page and the API", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${web.url}/scanner.html?token=${SECRETS.team1Token}`);
      await page.waitForSelector('#grid tbody tr');
      expect(await page.locator('#grid tbody tr').count()).toBe(1);
      expect(await page.locator('#grid tbody tr th').textContent()).toBe('Team1');
      expect(await page.locator('#round').textContent()).toBe('round 2');
      expect(await page.locator('td.cell[data-service=ssh]').getAttribute('class')).toContain('down');
      const messages = await page.locator('#messages').textContent();
      expect(messages).toContain('connection refused by Team1 host');
      expect(messages).not.toContain('Team2');
      // Grouped by service with counts: only its own ssh message.
      expect(await page.locator('.message-group[data-service=ssh] .count').textContent()).toBe('1');
      // Its own strips only: two rounds per service, ssh down in both, www up.
      await page.waitForSelector('#rounds-panel:not([hidden]) #strips tr[data-service]');
      expect(await page.locator('#strips tr[data-service]').count()).toBe(3);
      expect(await page.locator('#strips tr[data-team="1"][data-service=ssh] .strip-cell.down').count()).toBe(2);
      expect(await page.locator('#strips tr[data-team="1"][data-service=www] .strip-cell.up').count()).toBe(2);
      expect(await page.locator('#score-chart .u-legend').textContent()).not.toContain('Team2');
      // History of one service.
      await page.click('td.cell[data-service=ssh] .cell-button');
      await expect.poll(() => page.locator('#history tr.down').count(), POLL).toBe(2);
      // Password change: only the keys the services use.
      expect(await page.locator('#password-key option').allTextContents()).toEqual(['rootpw']);
      await page.fill('#password-value', 'new-team1-password');
      await page.click('#password-form button[type=submit]');
      await expect.poll(() => page.locator('#password-result').textContent(), POLL).toBe("saved: 'rootpw' of team 1 applies from round 3");
      expect((await store.teamInfo(competition.name, 3))[1]?.rootpw).toBe('new-team1-password');
      expect(await page.locator('.check-now').count()).toBe(0);
      const html = await page.content();
      expect(html).not.toContain('Team2');
      assertNoSecrets(html, 'scanner page (team 1)');
    } finally {
      await page.close();
    }
    const team1 = bearer(SECRETS.team1Token);
    const grid = await http(`${web.url}/api/scanner`, { headers: team1 });
    expect(grid.status).toBe(200);
    expect((JSON.parse(grid.body) as { teams: Array<{ team: number }> }).teams.map((t) => t.team)).toEqual([1]);
    expect(grid.body).not.toContain('Team2');
    assertNoSecrets(grid.body, '/api/scanner (team 1)');
    expect((await http(`${web.url}/api/history?team=2&service=ssh`, { headers: team1 })).status).toBe(403);
    // The inspector is scoped to the team's own actors (test/web/issue-24.test.ts has the stream).
    const inspected = await http(`${web.url}/api/inspect/snapshot`, { headers: team1 });
    expect(inspected.status).toBe(200);
    expect(inspected.body).not.toMatch(/"team":2\b/);
    const otherTeam = await http(`${web.url}/api/password`, { method: 'POST', headers: { ...team1, 'Content-Type': 'application/json' }, body: JSON.stringify({ team: 2, key: 'rootpw', value: 'x' }) });
    expect(otherTeam.status).toBe(403);
    const badKey = await http(`${web.url}/api/password`, { method: 'POST', headers: { ...team1, 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'notakey', value: 'x' }) });
    expect(badKey.status).toBe(400);
    const checkNow = await http(`${web.url}/api/check-now`, { method: 'POST', headers: { ...team1, 'Content-Type': 'application/json' }, body: JSON.stringify({ team: 1, service: 'www' }) });
    expect(checkNow.status).toBe(403);
  });

  test('the admin sees every team and runs an unscored check now', async () => {
    const before = await store.results({ competition: competition.name });
    const page = await browser.context.newPage();
    try {
      // Team 1's session is still in this browser: a link with another token does not
      // replace it (issue 25), and the page says so.
      await page.goto(`${web.url}/scanner.html?token=${SECRETS.adminToken}`);
      expect(new URL(page.url()).search).toBe('?token_ignored=other-session');
      await expect.poll(() => page.locator('#token-notice').textContent(), POLL).toContain('A link carried a different token');
      expect(await page.locator('#grid tbody tr').count()).toBe(1);
      // Switching on purpose: clear the cookie, then open the link.
      await browser.context.clearCookies();
      await page.goto(`${web.url}/scanner.html?token=${SECRETS.adminToken}`);
      await page.waitForSelector('#grid tbody tr');
      expect(await page.locator('#grid tbody tr').count()).toBe(3);
      const messages = await page.locator('#messages').textContent();
      for (const t of [1, 2, 3]) expect(messages).toContain(`connection refused by Team${t} host`);
      expect(await page.locator('.message-group[data-service=ssh] .count').textContent()).toBe('3');
      expect(await page.locator('.message-group').count()).toBe(1);
      // Score over rounds: one uPlot chart per measure, a series per team, and the strips.
      await page.waitForSelector('#score-chart canvas');
      await page.waitForSelector('#uptime-chart canvas');
      expect(await page.locator('#score-chart .u-legend .u-series').count()).toBe(4); // round + 3 teams
      expect(await page.locator('#strips tr[data-service]').count()).toBe(9);
      expect(await page.locator('#strips .strip-cell.down').count()).toBe(6);
      // Check now opens beside the cell, with its states lit on the check chart and the steps.
      const cell = page.locator('td.cell[data-team="2"][data-service=ssh]');
      await cell.locator('.check-now').click();
      await expect.poll(() => page.locator('.check-now-card .verdict').textContent(), POLL).toBe('down · score 0 · ran as refused');
      const card = page.locator('.check-now-card');
      expect(await card.locator('.check-now-steps').textContent()).toContain('connection refused by Team2 host');
      expect(await card.locator('.check-now-steps li[data-state] strong').allTextContents()).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
      await card.locator('.chart-state.lit[data-state=ended]').waitFor();
      expect(await card.locator('.chart-state.visited').count()).toBe(5);
      const [cellBox, cardBox] = [await cell.boundingBox(), await card.boundingBox()];
      expect(Math.abs(cardBox!.y - cellBox!.y)).toBeLessThan(2);
      expect(cardBox!.x).toBeGreaterThanOrEqual(cellBox!.x + cellBox!.width);
      assertNoSecrets(await page.content(), 'scanner page (admin)');
    } finally {
      await page.close();
    }
    // Not stored: the latest round is unchanged.
    expect(await store.results({ competition: competition.name })).toEqual(before);
    const admin = bearer(SECRETS.adminToken);
    const run = await http(`${web.url}/api/check-now`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ team: 3, service: 'www' }) });
    expect(run.status).toBe(200);
    expect(JSON.parse(run.body)).toMatchObject({ team: 3, service: 'www', score: 1, error: null, states: ['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended'] });
    const rounds = JSON.parse((await http(`${web.url}/api/rounds`, { headers: admin })).body) as { rounds: number[]; teams: Array<{ team: number; perRound: Array<{ up: number; checks: number }> }> };
    expect(rounds.rounds).toEqual([1, 2]);
    expect(rounds.teams.map((t) => t.team)).toEqual([1, 2, 3]);
    expect(rounds.teams[0]!.perRound.map((r) => [r.up, r.checks])).toEqual([[2, 3], [2, 3]]);
    const own = JSON.parse((await http(`${web.url}/api/rounds`, { headers: bearer(SECRETS.team2Token) })).body) as { teams: Array<{ team: number }> };
    expect(own.teams.map((t) => t.team)).toEqual([2]);
    for (const path of ['/api/scanner', '/api/history?team=2&service=ssh', '/api/whoami', '/api/rounds']) {
      const res = await http(`${web.url}${path}`, { headers: admin });
      expect(res.status).toBe(200);
      assertNoSecrets(res.body, path);
    }
    assertNoSecrets(run.body, '/api/check-now');
  });
});
