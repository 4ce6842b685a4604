import { describe, expect, test } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { competitionOf, recordingType, registryOf, runScan } from '../support/recording-types.js';

describe("XState's inspection API shows every check actor on the documented lifecycle", () => {
  test('state sequence of every check actor in a scan of several teams', async () => {
    const sequences = new Map<string, string[]>();
    const inspect = (event: InspectionEvent) => {
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as { value?: unknown; machine?: { id: string } };
      const machineId = snapshot.machine?.id;
      if (machineId !== 'serviceCheck' && machineId !== 'massCheck') return;
      const key = event.actorRef.sessionId;
      const seq = sequences.get(key) ?? [];
      const value = String(snapshot.value);
      if (seq[seq.length - 1] !== value) seq.push(value);
      sequences.set(key, seq);
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
    expect(sequences.size).toBe(teams * 3 + 1); // one actor per standard check, one mass actor
    for (const seq of sequences.values()) {
      expect(seq).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
    }
  });
});
