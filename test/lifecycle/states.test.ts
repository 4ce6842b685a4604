import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CHECK_TRANSITIONS } from '../../machines/checkActorLogic.js';
import { CHECK_STATES, PHASES } from '../../src/lifecycle/states.js';

describe('the lifecycle states are defined once', () => {
  test('the phases are the states between started and ended, in order', () => {
    expect(PHASES).toEqual(['resolving', 'preCheck', 'checking', 'postCheck']);
    expect(CHECK_STATES.slice(1, -1)).toEqual(PHASES);
  });

  test("the check actor's transition table has exactly the lifecycle's states, and every target is one", () => {
    expect(Object.keys(CHECK_TRANSITIONS)).toEqual([...CHECK_STATES]);
    for (const targets of Object.values(CHECK_TRANSITIONS)) {
      for (const target of Object.values(targets)) expect(CHECK_STATES).toContain(target);
    }
  });

  test("the visualizer's inspector lists the same states in the same order", () => {
    const source = readFileSync(new URL('../../visualizer/public/inspector.js', import.meta.url), 'utf8');
    const list = /const STATES = (\[[^\]]*\]);/.exec(source)?.[1];
    expect(list, 'visualizer/public/inspector.js declares const STATES = [...]').toBeDefined();
    expect(JSON.parse(list!.replace(/'/g, '"'))).toEqual([...CHECK_STATES]);
  });
});
