/**
 * The slowest running checks: those still inside their deadline, longest running first,
 * with the time they have left. Beside the stuck list, they show what is about to become
 * a timeout before it does.
 */
import type { ActorView } from './hub-messages.js';

/** How many the list keeps by default. */
export const DEFAULT_SLOWEST_LIMIT = 10;

/** One running check inside its deadline. */
export interface SlowCheck {
  readonly id: string;
  /** Team number; undefined for a mass check (every team). */
  readonly team: number | undefined;
  readonly service: string;
  readonly state: string;
  /** Milliseconds since the check started. */
  readonly runningMs: number;
  /** Milliseconds until its deadline (started + timeoutMs). */
  readonly leftMs: number;
  readonly timeoutMs: number;
}

/** The running checks among `actors` at `now` that have time left, longest running first. */
export function slowestChecks(actors: Iterable<ActorView>, now: number, limit = DEFAULT_SLOWEST_LIMIT): SlowCheck[] {
  const slow: SlowCheck[] = [];
  for (const a of actors) {
    if ((a.kind !== 'check' && a.kind !== 'mass') || a.state === 'ended' || a.status !== 'active' || a.timeoutMs === undefined) continue;
    const leftMs = a.startedAt + a.timeoutMs - now;
    if (leftMs <= 0) continue;
    slow.push({ id: a.id, team: a.team, service: a.service ?? a.label, state: a.state, runningMs: now - a.startedAt, leftMs, timeoutMs: a.timeoutMs });
  }
  return slow.sort((x, y) => y.runningMs - x.runningMs).slice(0, limit);
}
