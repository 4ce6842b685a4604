/**
 * A competition whose checks wait for a gate the test opens: the first services of each
 * team score at once, the others when the gate opens, so a fault can be injected
 * between the two waves of writes.
 */
import type { ServiceRegistry } from '../../../src/registry.js';
import type { Competition } from '../../../src/types.js';
import { competitionOf, recordingType, registryOf } from '../../support/recording-types.js';

/** A gate the gated checks wait on. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

/** A closed gate. */
export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** `teams` teams × (`now` immediate + `later` gated) services, and their registry. */
export function gatedCompetition(g: Gate, teams: number, now: number, later: number): { registry: ServiceRegistry; competition: Competition; checks: number; immediate: number } {
  const registry = registryOf(
    recordingType('quick', []),
    recordingType('gated', [], {
      behaviour: {
        do: 'custom',
        fn: async (type, service) => {
          await g.opened;
          type.reportScore(service, service.points);
        },
      },
    }),
  );
  const services = [
    ...Array.from({ length: now }, (_, i) => ({ name: `q${i}`, type: 'quick', timeoutMs: 60_000 })),
    ...Array.from({ length: later }, (_, i) => ({ name: `g${i}`, type: 'gated', timeoutMs: 60_000 })),
  ];
  return { registry, competition: competitionOf(teams, services, { name: 'fault-cup' }), checks: teams * (now + later), immediate: teams * now };
}
