/** Helpers for the competition-file tests: the example file, edits, error lines. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseCompetition } from '../../src/config/load-competition-file.js';
import { testRegistry } from './test-registry.js';

/** Path of the complete example, relative to the repository root. */
export const EXAMPLE_PATH = 'examples/competition.yaml';

/** The text of examples/competition.yaml. */
export const example = readFileSync(new URL(`../../${EXAMPLE_PATH}`, import.meta.url), 'utf8');

/** `text` with `from` replaced by `to`; fails when `from` is not there (the edit would do nothing). */
export function edit(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  expect(changed, `edit of ${String(from)}`).not.toBe(text);
  return changed;
}

/** The lines of the ConfigError that parsing `text` throws (fails if it does not throw one). */
export function errorLines(text: string | Uint8Array, file = 'competition.yaml', registry = testRegistry()): string[] {
  try {
    parseCompetition(text, { file, registry });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError, but the file was accepted');
}

/** Every secret configured in the example (passwords, Team Specific Info values, tokens). */
export const exampleSecrets: readonly string[] = [
  'S3rvice-Ch3ck!',
  ...[...example.matchAll(/password: "([^"]+)"/g)].map((m) => m[1]!),
  ...[...example.matchAll(/(?:ssh_password|db_admin_password): "([^"]+)"/g)].map((m) => m[1]!),
  ...[...example.matchAll(/"([a-z0-9]+-token-[0-9a-f]+)"/g)].map((m) => m[1]!),
];

/** One line of a competition-file error: `file: path: expected ..., got ...`. */
export const ERROR_LINE = /^[^\n]+?: (?:line \d+:\d+|\(file\)|\(document\)|\(root\)|[A-Za-z$_[][^\n]*?): expected [^\n]+, got [^\n]+$/;
