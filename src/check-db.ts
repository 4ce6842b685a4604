/**
 * The database handle that `startCheck` and `endCheck` receive. It belongs to the team
 * actor (or, for mass checks, the scan actor): writes are buffered and flushed by that
 * actor in batches, so a hook's `markInProgress` costs no round trip of its own.
 */
import type { CheckRecord } from './types.js';

/** What a `startCheck` / `endCheck` hook may do with the database. */
export interface CheckDb {
  /** Marks the check in progress (the base `startCheck` does this). */
  markInProgress(check: CheckRecord): void;
  /** Marks the check finished (the base `endCheck` does this). */
  markFinished(check: CheckRecord): void;
  /** A Team Specific Info value of the check's team, as of this round. */
  getTeamInfo(team: number, key: string): string | undefined;
}

/**
 * The team actor's unit of work: records which checks hooks marked, so the actor can
 * repair a hook that forgot `super.startCheck()` / `super.endCheck()` and flush the
 * marks in one batch.
 */
export class CheckDbSession implements CheckDb {
  readonly startedIds = new Set<string>();
  readonly finishedIds = new Set<string>();

  constructor(private readonly teamInfo: (team: number, key: string) => string | undefined) {}

  markInProgress(check: CheckRecord): void {
    check.status = 'in_progress';
    this.startedIds.add(check.id);
  }

  markFinished(check: CheckRecord): void {
    check.status = 'finished';
    this.finishedIds.add(check.id);
  }

  getTeamInfo(team: number, key: string): string | undefined {
    return this.teamInfo(team, key);
  }
}
