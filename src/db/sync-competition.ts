/**
 * Records a competition's configuration: teams and services upserted by number/name,
 * Team Info Pools replaced, and the file's Team Specific Info kept as round-0 values
 * (a new history row only when the file's value differs from the last round-0 one, so
 * password changes made later with setTeamInfo stay in force).
 */
import type { Competition, CredentialSource, ServiceConfig } from '../types.js';
import type { Queryable } from './db.js';
import { ensureCompetition } from './ensure-competition.js';
import { pgp } from './pgp.js';

/** The credential source without its secret (an explicit password is never stored). */
function storedCredentialSource(source: CredentialSource | undefined): unknown {
  if (!source) return null;
  if (source.from === 'explicit') return { from: 'explicit', username: source.username };
  return source;
}

/** Params without the values named secret. */
function storedParams(service: ServiceConfig): Record<string, unknown> {
  const params = { ...(service.params ?? {}) };
  for (const key of service.secretParams ?? []) if (key in params) params[key] = '[redacted]';
  return params;
}

const teamColumns = new pgp.helpers.ColumnSet(
  ['competition_id', 'number', 'name', { name: 'vars', mod: ':json' }],
  { table: 'teams' },
);
const serviceColumns = new pgp.helpers.ColumnSet(
  [
    'competition_id', 'name', 'type', 'host', 'port',
    { name: 'params', mod: ':json' }, 'points', 'timeout_ms',
    { name: 'credential_source', mod: ':json' },
  ],
  { table: 'services' },
);
const poolColumns = new pgp.helpers.ColumnSet(
  ['competition_id', 'pool', 'team', 'position', 'username', 'password'],
  { table: 'team_info_pools' },
);
const infoColumns = new pgp.helpers.ColumnSet(
  [{ name: 'competition_id', cast: 'int' }, { name: 'team', cast: 'int' }, 'key', 'value'],
);

/** Upserts teams, services, pools and round-0 Team Specific Info (run it in a transaction). */
export async function syncCompetition(t: Queryable, competition: Competition): Promise<number> {
  const id = await ensureCompetition(t, competition.name);
  if (competition.teams.length > 0) {
    const rows = competition.teams.map((team) => ({
      competition_id: id,
      number: team.number,
      name: team.name ?? `Team${team.number}`,
      vars: team.vars ?? {},
    }));
    await t.none(
      pgp.helpers.insert(rows, teamColumns) +
        ' ON CONFLICT (competition_id, number) DO UPDATE SET name = EXCLUDED.name, vars = EXCLUDED.vars',
    );
  }
  if (competition.services.length > 0) {
    const rows = competition.services.map((s) => ({
      competition_id: id,
      name: s.name,
      type: s.type,
      host: s.host,
      // A port template ("{port}") differs per team: the column holds only a port all teams share.
      port: typeof s.port === 'number' ? s.port : null,
      params: storedParams(s),
      points: s.points ?? 1,
      timeout_ms: s.timeoutMs ?? null,
      credential_source: storedCredentialSource(s.credentials),
    }));
    await t.none(
      pgp.helpers.insert(rows, serviceColumns) +
        ` ON CONFLICT (competition_id, name) DO UPDATE SET type = EXCLUDED.type, host = EXCLUDED.host,
          port = EXCLUDED.port, params = EXCLUDED.params, points = EXCLUDED.points,
          timeout_ms = EXCLUDED.timeout_ms, credential_source = EXCLUDED.credential_source`,
    );
  }
  await t.none('DELETE FROM team_info_pools WHERE competition_id = $1', [id]);
  const pools = Object.entries(competition.pools ?? {}).flatMap(([pool, byTeam]) =>
    Object.entries(byTeam).flatMap(([team, entries]) =>
      entries.map((e, position) => ({
        competition_id: id, pool, team: Number(team), position, username: e.username, password: e.password,
      })),
    ),
  );
  if (pools.length > 0) await t.none(pgp.helpers.insert(pools, poolColumns));
  const info = Object.entries(competition.teamInfo ?? {}).flatMap(([team, values]) =>
    Object.entries(values).map(([key, value]) => ({ competition_id: id, team: Number(team), key, value })),
  );
  if (info.length > 0) {
    // Insert a round-0 row only where the last round-0 value differs (or there is none).
    await t.none(
      `INSERT INTO team_info (competition_id, team, key, value, effective_round)
       SELECT v.competition_id, v.team, v.key, v.value, 0
       FROM (VALUES ${pgp.helpers.values(info, infoColumns)}) AS v (competition_id, team, key, value)
       WHERE v.value IS DISTINCT FROM (
         SELECT ti.value FROM team_info ti
         WHERE ti.competition_id = v.competition_id AND ti.team = v.team AND ti.key = v.key
           AND ti.effective_round = 0
         ORDER BY ti.id DESC LIMIT 1)`,
    );
  }
  return id;
}
