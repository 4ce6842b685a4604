import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { InvalidParamsError, parseParams } from '../../src/checks/support/params.js';
import type { Service } from '../../src/types.js';

const schema = z.object({ path: z.string().default('/'), headers: z.record(z.string(), z.string()).default({}) }).strict();

function serviceWith(params: Record<string, unknown>, team = 1): Service {
  return { id: `team-${team}/web`, name: 'web', type: 'http', team: { number: team, name: `Team${team}` }, host: '10.0.0.1', port: undefined, points: 1, timeoutMs: 1000, params };
}

describe('parseParams', () => {
  test('teams sharing one definition get one parse; the result is frozen, so no check can change it for the next', () => {
    const params = { path: '/index.html' };
    const a = parseParams(schema, serviceWith(params, 1));
    const b = parseParams(schema, serviceWith(params, 2));
    expect(a).toBe(b);
    expect(a).toEqual({ path: '/index.html', headers: {} });
    expect(Object.isFrozen(a) && Object.isFrozen(a.headers)).toBe(true);
    expect(() => {
      (a.headers).x = 'y';
    }).toThrow(TypeError);
  });

  test('another schema over the same params parses again', () => {
    const params = { path: '/a' };
    const first = parseParams(schema, serviceWith(params));
    const other = parseParams(z.object({ path: z.string() }).passthrough(), serviceWith(params));
    expect(other).not.toBe(first);
    expect(other).toEqual({ path: '/a' });
  });

  test('invalid params throw every time, naming the service and the field', () => {
    const params = { path: 7 };
    for (const team of [1, 2]) {
      expect(() => parseParams(schema, serviceWith(params, team))).toThrow(InvalidParamsError);
      expect(() => parseParams(schema, serviceWith(params, team))).toThrow(`team-${team}/web: params.path: `);
    }
  });
});
