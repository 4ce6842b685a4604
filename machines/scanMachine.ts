/**
 * The scan actor: one round of checks over every team.
 *
 *   preparing ──► running ──► finishing ──► done
 *   (round number,  (one team actor per team, plus `mass` for the mass checks;
 *    Team Specific   each owns its checks' database steps)
 *    Info, groups)
 *       └──(error: nothing was started)──► failed
 *
 * The scan never touches a check's database steps itself: team actors do. It only opens
 * and closes the round.
 */
import { assign, createActor, enqueueActions, fromCallback, fromPromise, setup, type AnyActorRef } from 'xstate';
import { errorMessage } from '../src/errors.js';
import { prepareScan, type ScanPlan } from '../src/scan/prepare-scan.js';
import type { ScanDeps } from '../src/scan/scan-deps.js';
import type { TeamCounts } from '../src/scan/team-counts.js';
import { checkStarts } from '../src/scheduling/start-pacer.js';
import type { Store } from '../src/store/store.js';
import type { CheckResult, Competition, ScanSummary } from '../src/types.js';
import { teamMachine, type TeamOutput } from './teamMachine.js';

export type { ScanDeps } from '../src/scan/scan-deps.js';

/** Input of the scan actor. */
export interface ScanActorInput {
  readonly competition: Competition;
  readonly deps: ScanDeps;
}

/** The scan actor's output: a summary, or why it could not start. */
export type ScanOutput = { readonly summary: ScanSummary; readonly unsaved: readonly CheckResult[] } | { readonly error: string };

/** The scan actor's context. */
export interface ScanContext {
  readonly input: ScanActorInput;
  plan: ScanPlan | undefined;
  remaining: number;
  outputs: readonly TeamOutput[];
  summary: ScanSummary | undefined;
  error: string | undefined;
  /**
   * Team actors running now, by owner id. Created with this actor as their parent (same
   * system; their done events come here) but kept out of the snapshot's `children` map,
   * which XState copies on every spawn and stop (docs/benchmarks.md, "Where the time goes now").
   */
  readonly teamActors: Map<string, AnyActorRef>;
}

/**
 * Stops the team actors still running when the scan actor itself is stopped (they are
 * not in its `children` map, so XState does not; and only a root actor may be stopped
 * from outside, so they are told to stop themselves).
 */
const teamsSupervisor = fromCallback<{ type: 'noop' }, { teamActors: Map<string, AnyActorRef> }>(({ input }) => () => {
  for (const team of input.teamActors.values()) team.send({ type: 'team.stop' });
  input.teamActors.clear();
});

/** The round's summary, from every team's output. */
function summarize(context: ScanContext, now: number): ScanSummary {
  const scan = context.plan!.scan;
  const sum = (k: keyof TeamCounts) => context.outputs.reduce((n, o) => n + o[k], 0);
  return {
    scanId: scan.id,
    round: scan.round,
    startedAt: scan.startedAt,
    finishedAt: now,
    durationMs: now - scan.startedAt,
    checks: sum('checks'),
    up: sum('up'),
    down: sum('down'),
    timedOut: sum('timedOut'),
    interrupted: sum('interrupted'),
    rerun: sum('rerun'),
    overloaded: sum('overloaded'),
    loopLag: context.input.deps.loopLag?.() ?? { p50Ms: 0, p99Ms: 0, maxMs: 0 },
    storeIssues: [...(context.input.deps.store.takeIssues?.() ?? []), ...context.outputs.flatMap((o) => o.storeIssues)],
  };
}

/** The scan actor (see the chart above). */
export const scanMachine = setup({
  types: {
    input: {} as ScanActorInput,
    context: {} as ScanContext,
    events: {} as { type: `xstate.done.actor.${string}`; output: unknown; actorId: string },
    output: {} as ScanOutput,
  },
  actors: {
    teamsSupervisor,
    prepareScan: fromPromise<ScanPlan, ScanActorInput>(async ({ input }) => prepareScan(input.competition, input.deps)),
    endScan: fromPromise<void, { store: Store; summary: ScanSummary }>(async ({ input }) => input.store.endScan(input.summary)),
  },
}).createMachine({
  id: 'scan',
  context: ({ input }) => ({ input, plan: undefined, remaining: 0, outputs: [], summary: undefined, error: undefined, teamActors: new Map() }),
  invoke: { src: 'teamsSupervisor', input: ({ context }) => ({ teamActors: context.teamActors }) },
  initial: 'preparing',
  states: {
    preparing: {
      invoke: {
        src: 'prepareScan',
        input: ({ context }) => context.input,
        onDone: {
          target: 'running',
          actions: [
            assign(({ event }) => ({ plan: event.output, remaining: event.output.teams.length })),
            ({ context, event }) => {
              const { scan, checks } = event.output;
              context.input.deps.notify({ type: 'scan.started', scanId: scan.id, round: scan.round, competition: scan.competition, checks, at: Date.now() });
            },
          ],
        },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => errorMessage(event.error) }) },
      },
    },
    running: {
      // Started on a microtask, after this transition: XState's development build warns
      // when a machine is created inside a custom action.
      entry: enqueueActions(({ context, enqueue, self }) => {
        const plan = context.plan!;
        // Paced with the check starts (src/scheduling/start-pacer.ts): 500 teams preparing
        // their checks in one turn would stall the thread for half a second.
        enqueue(() =>
          queueMicrotask(() => {
            for (const team of plan.teams) {
              checkStarts.run(() => {
                if (self.getSnapshot().status !== 'active') return;
                const input = { scan: plan.scan, ownerId: team.ownerId, groups: team.groups, deps: plan.teamDeps };
                const actor = createActor(teamMachine, { id: team.ownerId, parent: self, input });
                context.teamActors.set(team.ownerId, actor);
                actor.start();
              });
            }
          }),
        );
      }),
      always: { guard: ({ context }) => context.remaining === 0, target: 'finishing' },
      on: {
        'xstate.done.actor.*': {
          // Only a team still running counts (a stopped one's done event is dropped).
          guard: ({ context, event }) => context.teamActors.has(event.actorId),
          actions: [
            // A finished team's context (its checks and results) is garbage from here on.
            ({ context, event }) => context.teamActors.delete(event.actorId),
            assign(({ context, event }) => ({ outputs: [...context.outputs, event.output as TeamOutput], remaining: context.remaining - 1 })),
          ],
        },
      },
    },
    finishing: {
      entry: assign({ summary: ({ context }) => summarize(context, context.input.deps.now()) }),
      invoke: {
        src: 'endScan',
        input: ({ context }) => ({ store: context.input.deps.store, summary: context.summary! }),
        onDone: 'done',
        onError: {
          target: 'done',
          actions: assign({
            summary: ({ context, event }) => ({ ...context.summary!, storeIssues: [...context.summary!.storeIssues, `could not close the scan: ${errorMessage(event.error)}`] }),
          }),
        },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) =>
    context.summary ? { summary: context.summary, unsaved: context.outputs.flatMap((o) => o.unsaved) } : { error: context.error ?? 'scan failed' },
});
