/** Finds or creates a competition row by name. */
import type { Queryable } from './db.js';

/** The id of the competition named `name`, created if missing (safe when racing). */
export async function ensureCompetition(t: Queryable, name: string): Promise<number> {
  const row = await t.oneOrNone<{ id: number }>(
    `WITH ins AS (INSERT INTO competitions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id)
     SELECT id FROM ins UNION ALL SELECT id FROM competitions WHERE name = $1 LIMIT 1`,
    [name],
  );
  if (row) return row.id;
  // Another transaction inserted it after this statement's snapshot: a new statement sees it.
  return (await t.one<{ id: number }>('SELECT id FROM competitions WHERE name = $1', [name])).id;
}

/** The id of the competition named `name`, or null when it was never recorded. */
export async function findCompetition(t: Queryable, name: string): Promise<number | null> {
  const row = await t.oneOrNone<{ id: number }>('SELECT id FROM competitions WHERE name = $1', [name]);
  return row?.id ?? null;
}
