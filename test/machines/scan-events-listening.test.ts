import { createActor, toPromise } from 'xstate';
import { describe, expect, test } from 'vitest';
import { scanMachine } from '../../machines/scanMachine.js';
import type { EngineEvent } from '../../src/events.js';
import { Limiter } from '../../src/scheduling/limiter.js';
import { silentLogger } from '../../src/logger.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { competitionOf, recordingType, registryOf } from '../support/recording-types.js';

/** Runs one scan actor with `listening` as given; returns what reached `notify` and the store. */
async function scanWith(listening: () => boolean) {
  const store = new MemoryStore();
  const events: EngineEvent[] = [];
  const competition = competitionOf(3, [
    { name: 'a', type: 'ok' },
    { name: 'b', type: 'ok' },
  ]);
  const actor = createActor(scanMachine, {
    input: {
      competition,
      deps: {
        store,
        registry: registryOf(recordingType('ok', [])),
        limiter: new Limiter(4),
        logger: silentLogger(),
        notify: (e) => events.push(e),
        listening,
        random: Math.random,
        now: Date.now,
        ready: async () => undefined,
      },
    },
  });
  actor.start();
  const output = await toPromise(actor);
  return { events, store, output };
}

const perCheck = (events: readonly EngineEvent[]) => events.filter((e) => e.type.startsWith('check.'));

describe('per-check events are built only while someone listens', () => {
  test('nobody listening: no check events, every result still written', async () => {
    const { events, store, output } = await scanWith(() => false);
    expect(perCheck(events)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['scan.started']);
    expect('summary' in output && output.summary.checks).toBe(6);
    expect([...store.checks.values()].filter((c) => c.record.status === 'finished')).toHaveLength(6);
  });

  test('someone listening: started, every state and the result of each check', async () => {
    const { events } = await scanWith(() => true);
    const types = perCheck(events).map((e) => e.type);
    expect(types.filter((t) => t === 'check.started')).toHaveLength(6);
    expect(types.filter((t) => t === 'check.result')).toHaveLength(6);
    expect(types.filter((t) => t === 'check.state')).toHaveLength(6 * 4);
  });

  test('listening from halfway: the events from then on, one skipped per earlier question', async () => {
    const all = perCheck((await scanWith(() => true)).events).length;
    let asked = 0;
    // The first three questions come from the first check's start and its first states
    // (each one event); every later one is answered yes.
    const { events } = await scanWith(() => ++asked > 3);
    expect(perCheck(events)).toHaveLength(all - 3);
    expect(perCheck(events).filter((e) => e.type === 'check.result')).toHaveLength(6);
  });
});
