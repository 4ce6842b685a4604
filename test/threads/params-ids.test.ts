/**
 * Params keep one identity per definition across the messages to a check thread, so
 * parseParams parses a definition once there too (src/threads/params-ids.ts).
 */
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { parseParams } from '../../src/checks/support/params.js';
import { MAX_KEPT_PARAMS, ParamsNumbering, ParamsTable } from '../../src/threads/params-ids.js';
import type { Service } from '../../src/types.js';

const service = (id: string, params: Service['params'] | undefined): Service =>
  ({ id, name: 'web', type: 'http', host: '10.0.0.1', points: 1, timeoutMs: 1000, params, team: { number: 1, name: 'Team 1', vars: {} } }) as unknown as Service;

describe('params numbering between the engine and a check thread', () => {
  test('the same params object gets the same number; another object (even if equal) another', () => {
    const numbering = new ParamsNumbering();
    const shared = { path: '/' };
    expect(numbering.idOf(shared)).toBe(numbering.idOf(shared));
    expect(numbering.idOf({ path: '/' })).not.toBe(numbering.idOf(shared));
    expect(numbering.idOf(undefined)).toBe(0);
  });

  test('copies from different messages become one object, so a definition is parsed once in the thread', () => {
    const numbering = new ParamsNumbering();
    const table = new ParamsTable();
    const schema = z.object({ path: z.string() });
    const parse = vi.spyOn(schema, 'safeParse');
    const definition = { path: '/login' };
    const id = numbering.idOf(definition);
    // Two messages: two structured clones of the same params.
    const copies = [structuredClone(definition), structuredClone(definition)];
    expect(copies[0]).not.toBe(copies[1]);
    const adopted = copies.map((copy) => table.adopt(id, copy));
    expect(adopted[0]).toBe(adopted[1]);
    for (const [i, params] of adopted.entries()) expect(parseParams(schema, service(`team-${i + 1}/web`, params))).toEqual({ path: '/login' });
    expect(parse).toHaveBeenCalledTimes(1);
    // Without the table, each copy is parsed again.
    parseParams(schema, service('team-3/web', structuredClone(definition)));
    expect(parse).toHaveBeenCalledTimes(2);
  });

  test('the table is bounded: past MAX_KEPT_PARAMS it starts over, and a job still gets its own params', () => {
    const table = new ParamsTable();
    for (let id = 1; id <= MAX_KEPT_PARAMS; id++) table.adopt(id, { id });
    expect(table.size).toBe(MAX_KEPT_PARAMS);
    const late = { id: MAX_KEPT_PARAMS + 1 };
    expect(table.adopt(MAX_KEPT_PARAMS + 1, late)).toBe(late);
    expect(table.size).toBe(1);
    const again = { id: 1 };
    expect(table.adopt(1, again)).toBe(again);
    expect(table.adopt(0, again)).toBe(again);
  });
});
