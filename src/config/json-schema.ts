/**
 * The JSON Schema of competition files, generated from the zod schema. Editors use it
 * for completion and checks (`# yaml-language-server: $schema=...`); it is committed as
 * schema/competition.schema.json by `npx tsx scripts/generate-schema.ts`.
 */
import { z } from 'zod';
import { competitionFileSchema } from './schema.js';

/** Where the generated schema is committed, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/competition.schema.json';

/** The JSON Schema (draft 2020-12) of a competition file, as an object. */
export function competitionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(competitionFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: 'scorekeeper competition file',
    description:
      'Teams, services and their credentials, scan settings and web tokens of one competition. Check types validate their own params when the file is loaded. Reference: docs/configuration.md.',
    ...rest,
  };
}

/** The schema file's exact text: two-space JSON and a final newline. */
export function competitionJsonSchemaText(): string {
  return `${JSON.stringify(competitionJsonSchema(), null, 2)}\n`;
}
