/**
 * Stuck checks. A check actor is stuck when it has stayed in one non-final state for
 * longer than its deadline (`timeoutMs`) plus a grace (default 2 s): the engine aborts
 * every check at its deadline, so a check still sitting in a state by then did not react
 * to the abort. Its timeout is "armed" while its deadline timer can still fire: the
 * actor is in a non-final state and the deadline (started + timeoutMs; in postCheck,
 * postCheck's own start + its grace) has not passed yet.
 */
import type { ActorView } from './hub-messages.js';

/** Default grace after the deadline, ms. */
export const DEFAULT_STUCK_GRACE_MS = 2000;

/** One stuck check, as the inspector and `scorekeeper stuck` list it. */
export interface StuckCheck {
  readonly id: string;
  /** Team number; undefined for a mass check (every team). */
  readonly team: number | undefined;
  readonly service: string;
  readonly state: string;
  /** Milliseconds in `state` so far. */
  readonly forMs: number;
  readonly timeoutMs: number;
  /** Last event type the actor received, if any. */
  readonly lastEvent: string | undefined;
  readonly armed: boolean;
}

const isCheck = (a: ActorView) => a.kind === 'check' || a.kind === 'mass';
const isFinal = (a: ActorView) => a.state === 'ended' || a.status !== 'active';

/** Whether the check's deadline timer can still fire (see the module comment). */
export function timeoutArmed(actor: ActorView, now: number): boolean {
  if (!isCheck(actor) || isFinal(actor) || actor.timeoutMs === undefined) return false;
  const deadline = actor.state === 'postCheck' ? actor.enteredAt + (actor.postCheckGraceMs ?? 0) : actor.startedAt + actor.timeoutMs;
  return now < deadline;
}

/** The stuck checks among `actors` at `now`, longest first. */
export function stuckChecks(actors: Iterable<ActorView>, now: number, graceMs = DEFAULT_STUCK_GRACE_MS): StuckCheck[] {
  const stuck: StuckCheck[] = [];
  for (const a of actors) {
    if (!isCheck(a) || isFinal(a) || a.timeoutMs === undefined) continue;
    const forMs = now - a.enteredAt;
    if (forMs <= a.timeoutMs + graceMs) continue;
    stuck.push({
      id: a.id,
      team: a.team,
      service: a.service ?? a.label,
      state: a.state,
      forMs,
      timeoutMs: a.timeoutMs,
      lastEvent: a.events[a.events.length - 1],
      armed: timeoutArmed(a, now),
    });
  }
  return stuck.sort((x, y) => y.forMs - x.forMs);
}
