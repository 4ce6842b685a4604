/**
 * A check group: what one check actor runs. A standard or multi-protocol check is a
 * group of one service; a mass check is a group of every team's service of that name.
 */
import type { ServiceType } from '../service-type.js';
import type { CheckRecord, CheckResult, Service } from '../types.js';

/** Services to be checked together by one check actor. */
export interface CheckGroup {
  /** Actor id: the service id (`team-7/ssh`) or `mass/<service name>`. */
  readonly actorId: string;
  readonly type: ServiceType;
  readonly services: readonly Service[];
}

/** A group after startCheck: records to track, and services that already failed. */
export interface PreparedGroup {
  readonly actorId: string;
  readonly type: ServiceType;
  /** Services that will run (credentials filled in), parallel to `records`. */
  readonly services: readonly Service[];
  readonly records: readonly CheckRecord[];
  /** Warnings raised before each check ran (startCheck), parallel to `records`. */
  readonly warnings: readonly (readonly string[])[];
}

/**
 * The id a check actor has under its team: the service name (`ssh` for `team-7/ssh` and
 * `mass/ssh`). Done events are typed by actor id, and XState memoizes transitions per
 * event type: ids that repeat across teams and rounds keep that memo small and warm.
 */
export function localActorId(actorId: string): string {
  return actorId.slice(actorId.indexOf('/') + 1);
}

/** One finished check waiting for endCheck and its write. */
export interface FinishedCheck {
  readonly record: CheckRecord;
  readonly type: ServiceType;
  result: CheckResult;
}
