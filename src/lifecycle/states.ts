/**
 * The check lifecycle's states, defined once. The check actor's transition table
 * (machines/checkActorLogic.ts), the phases a check reports, the inspection stream and
 * the visualizer's list (checked against this one by a test) all derive from it.
 *
 *   started → resolving → preCheck → checking → postCheck → ended
 */

/** Every state of a check actor, in lifecycle order. */
export const CHECK_STATES = ['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended'] as const;

/** A state of a check actor. */
export type CheckState = (typeof CHECK_STATES)[number];

/** A phase: a state in which a hook runs (every state but the first and the last). */
export type Phase = Exclude<CheckState, 'started' | 'ended'>;

/** The phases in order; the lifecycle runs one step per phase. */
export const PHASES: readonly Phase[] = CHECK_STATES.filter((s): s is Phase => s !== 'started' && s !== 'ended');
