import { afterAll, describe, expect, test } from 'vitest';
import { numberArrayLiteral, textArrayLiteral } from '../../src/db/array-literal.js';
import { connectDb } from '../../src/db/connect-db.js';
import { freshSchemaName, TEST_DATABASE_URL } from '../support/pg.js';

const handle = connectDb({ connection: TEST_DATABASE_URL, schema: freshSchemaName(), max: 1 });
afterAll(() => handle.end());

describe('array literals for unnest() parameters', () => {
  test('text round-trips through PostgreSQL exactly: quotes, backslashes, braces, commas, newlines, NULL, unicode, empty', async () => {
    const values = ['plain', 'say "hi"', 'C:\\path\\', '{a,b}', 'NULL', 'line\nbreak\ttab', null, 'ünï €', '', ' padded ', '\\"'];
    const rows = await handle.db.any<{ v: string | null }>('SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i', [textArrayLiteral(values)]);
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  test('numbers round-trip, with NULL; a non-finite number is refused with its index', async () => {
    const values = [0, -3, 2.5, 1e-7, 123456789012, null, '42'];
    const rows = await handle.db.any<{ v: number | null }>('SELECT v FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i', [numberArrayLiteral(values)]);
    expect(rows.map((r) => r.v)).toEqual([0, -3, 2.5, 1e-7, 123456789012, null, 42]);
    expect(() => numberArrayLiteral([1, Number.NaN])).toThrow('array element 1 is NaN, not a finite number');
  });
});
