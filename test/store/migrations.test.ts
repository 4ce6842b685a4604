/** Migration files: naming, numbering and order (no database needed). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadMigrations, migrationsDir } from '../../src/db/migrate.js';

describe('loadMigrations', () => {
  const dirs: string[] = [];
  const dirWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-migrations-'));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test('the shipped migrations start at 001 and are numbered without gaps', () => {
    const ids = loadMigrations(migrationsDir()).map((m) => m.id);
    expect(ids[0]).toBe(1);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  test('files are applied in numeric order, other files ignored', () => {
    const dir = dirWith({ '010_later.sql': 'SELECT 10', '002_second.sql': 'SELECT 2', 'README.md': 'x' });
    expect(loadMigrations(dir).map((m) => [m.id, m.name])).toEqual([[2, 'second'], [10, 'later']]);
  });

  test('a badly named or duplicated migration is refused', () => {
    expect(() => loadMigrations(dirWith({ '1_short.sql': '' }))).toThrow(/1_short\.sql .* is not named NNN_name\.sql/);
    expect(() => loadMigrations(dirWith({ '003_a.sql': '', '003_b.sql': '' }))).toThrow(/migration number 003 is used twice/);
  });
});
