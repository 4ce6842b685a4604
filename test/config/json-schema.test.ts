import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { competitionJsonSchema, competitionJsonSchemaText, JSON_SCHEMA_PATH } from '../../src/config/json-schema.js';

describe('schema/competition.schema.json', () => {
  test('is up to date with src/config/schema.ts (run `npx tsx scripts/generate-schema.ts`)', () => {
    const committed = readFileSync(new URL(`../../${JSON_SCHEMA_PATH}`, import.meta.url), 'utf8');
    expect(committed).toBe(competitionJsonSchemaText());
  });

  test('describes the top-level fields, requires name, teams and services, and rejects unknown fields', () => {
    const schema = competitionJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['name', 'teams', 'services']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(['name', 'plugins', 'scan', 'teams', 'services', 'teamInfo', 'pools', 'tokens']),
    );
  });
});
