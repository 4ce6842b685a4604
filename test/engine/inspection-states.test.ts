import { describe, expect, test } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { competitionOf, recordingType, registryOf, runScan } from '../support/recording-types.js';

describe("XState's inspection API shows every check actor on the documented lifecycle", () => {
  test('state sequence of every check actor in a scan of several teams', async () => {
    // The states each actor's events walk it through, and the states of its snapshots.
    const walked = new Map<string, string[]>();
    const snapshots = new Map<string, string[]>();
    const push = (map: Map<string, string[]>, key: string, value: string) => {
      const seq = map.get(key) ?? [];
      if (seq[seq.length - 1] !== value) seq.push(value);
      map.set(key, seq);
    };
    const inspect = (event: InspectionEvent) => {
      const key = event.actorRef.sessionId;
      if (event.type === '@xstate.snapshot') {
        const snapshot = event.snapshot as { value?: unknown; machine?: { id: string } };
        const machineId = snapshot.machine?.id;
        if (machineId !== 'serviceCheck' && machineId !== 'massCheck') return;
        if (!walked.has(key)) push(walked, key, String(snapshot.value));
        push(snapshots, key, String(snapshot.value));
      } else if (event.type === '@xstate.event' && walked.has(key)) {
        // Steps that happened together come as one event (src/lifecycle/check-worker.ts), like microsteps.
        const { type, steps } = event.event as { type: string; steps?: { type: string }[] };
        for (const step of type === 'check.steps' ? steps! : [{ type }]) push(walked, key, step.type.replace(/^check\./, ''));
      }
    };
    const registry = registryOf(
      recordingType('web', []),
      recordingType('slow', [], { behaviour: { do: 'hang' } }),
      recordingType('boom', [], { behaviour: { do: 'throw', message: 'x' } }),
      recordingType('bulk', [], { kind: 'mass' }),
    );
    const teams = 4;
    const { summary } = await runScan(
      registry,
      competitionOf(teams, [
        { name: 'w', type: 'web' },
        { name: 's', type: 'slow', timeoutMs: 20 },
        { name: 'b', type: 'boom' },
        { name: 'm', type: 'bulk' },
      ]),
      { inspect },
    );
    expect(summary.checks).toBe(teams * 4);
    expect(walked.size).toBe(teams * 3 + 1); // one actor per standard check, one mass actor
    const lifecycle = ['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended'];
    for (const [key, seq] of walked) {
      expect(seq).toEqual(lifecycle);
      // One snapshot per event: every state the actor rests in, in lifecycle order.
      const seen = snapshots.get(key)!;
      expect(seen.at(-1)).toBe('ended');
      expect(lifecycle.filter((s) => seen.includes(s))).toEqual(seen);
    }
    // A hung check rests in checking until its deadline: that state is always a snapshot.
    expect([...snapshots.values()].filter((seen) => seen.includes('checking')).length).toBeGreaterThanOrEqual(teams);
  });
});
