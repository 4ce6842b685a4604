import { createActor, createMachine, toPromise } from 'xstate';
import { describe, expect, test } from 'vitest';
import { serviceCheckLogic, type CheckActorInput } from '../../machines/checkActorLogic.js';
import type { LifecycleOutcome } from '../../src/lifecycle/outcome.js';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';

class Plain extends ServiceType {
  readonly shortName = 'plain';
}

const input: CheckActorInput = {
  services: [],
  checkIds: ['scan-1:team-1/web'],
  actorId: 'team-1/web',
  type: new Plain(),
  registry: new ServiceRegistry(),
  logSink: () => undefined,
  timeoutMs: 1000,
};
const outcome: LifecycleOutcome = { resolvedType: 'plain', outcomes: [{ serviceId: 'team-1/web', score: 1, error: null, timedOut: false }], warnings: [], timings: {} };

describe('the check lifecycle logic', () => {
  test('walks the lifecycle in order, records what the events carry, and outputs the outcome', async () => {
    const actor = createActor(serviceCheckLogic, { input });
    const states: string[] = [];
    actor.subscribe((s) => states.push(s.value));
    actor.start();
    actor.send({ type: 'check.resolving' });
    actor.send({ type: 'check.preCheck', resolvedType: 'plain' });
    actor.send({ type: 'check.checking' });
    actor.send({ type: 'check.postCheck' });
    expect(actor.getSnapshot().context.postCheckAt).toBeTypeOf('number');
    actor.send({ type: 'check.ended', outcome });
    const output = await toPromise(actor);
    expect(states).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
    expect(actor.getSnapshot()).toMatchObject({ status: 'done', value: 'ended', machine: { id: 'serviceCheck' }, context: { resolvedType: 'plain' } });
    expect(output).toEqual({ checkIds: ['scan-1:team-1/web'], outcome, startedAt: actor.getSnapshot().context.startedAt });
  });

  test('an event out of order changes nothing; a failed preCheck goes straight to postCheck', () => {
    const actor = createActor(serviceCheckLogic, { input }).start();
    actor.send({ type: 'check.checking' });
    expect(actor.getSnapshot().value).toBe('started');
    actor.send({ type: 'check.resolving' });
    actor.send({ type: 'check.postCheck' });
    expect(actor.getSnapshot().value).toBe('resolving');
    actor.send({ type: 'check.preCheck' });
    actor.send({ type: 'check.postCheck' });
    expect(actor.getSnapshot().value).toBe('postCheck');
  });

  test('a failed resolution ends the check at once', () => {
    const actor = createActor(serviceCheckLogic, { input }).start();
    actor.send({ type: 'check.resolving' });
    actor.send({ type: 'check.ended', outcome });
    expect(actor.getSnapshot()).toMatchObject({ status: 'done', value: 'ended' });
  });

  test('steps that came together are applied in order as one transition, with the same rules', async () => {
    const actor = createActor(serviceCheckLogic, { input });
    const states: string[] = [];
    actor.subscribe((s) => states.push(s.value));
    actor.start();
    actor.send({ type: 'check.steps', steps: [{ type: 'check.resolving' }, { type: 'check.preCheck', resolvedType: 'plain' }, { type: 'check.checking' }] });
    expect(actor.getSnapshot()).toMatchObject({ value: 'checking', context: { resolvedType: 'plain' } });
    // A step out of order inside a batch changes nothing; the steps after it still apply.
    actor.send({ type: 'check.steps', steps: [{ type: 'check.resolving' }, { type: 'check.postCheck' }, { type: 'check.ended', outcome }, { type: 'check.checking' }] });
    expect(states).toEqual(['started', 'checking', 'ended']);
    expect(actor.getSnapshot().context.postCheckAt).toBeTypeOf('number');
    expect(await toPromise(actor)).toMatchObject({ outcome });
  });

  test('a stopped check actor takes no more events, and its done event reaches its parent', () => {
    const stopped = createActor(serviceCheckLogic, { input }).start();
    stopped.stop();
    expect(stopped.getSnapshot().status).toBe('stopped');

    const received: string[] = [];
    const parent = createActor(createMachine({ on: { '*': { actions: ({ event }) => received.push(event.type) } } })).start();
    const child = createActor(serviceCheckLogic, { input, parent, id: 'web' }).start();
    child.send({ type: 'check.resolving' });
    child.send({ type: 'check.ended', outcome });
    expect(received).toEqual(['xstate.done.actor.web']);
  });
});
