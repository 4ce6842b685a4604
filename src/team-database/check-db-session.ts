/**
 * The database handle that `startCheck` and `endCheck` receive, one per batch of checks
 * the team actor prepares or finishes. Writes are buffered: a hook's `markInProgress`
 * only records the mark, and the team actor writes every mark of the batch at once, so
 * a hook costs no round trip of its own. It also lets the team actor repair a hook that
 * forgot `super.startCheck()` / `super.endCheck()`.
 */
import type { Store } from '../store/store.js';
import type { CheckDb, CheckRecord, ExternalScore, ScanRecord } from '../types.js';

/** Where a session reads what it serves besides its marks. */
export interface CheckDbSources {
  /** A Team Specific Info value of a team, as of this round. */
  readonly teamInfo: (team: number, key: string) => string | undefined;
  /** Every external report filed this round, oldest first; read once per session, when first asked. */
  readonly externalReports: () => Promise<readonly ({ readonly team: number; readonly service: string } & ExternalScore)[]>;
}

/** The team actor's unit of work for one batch of startCheck or endCheck calls (see above). */
export class CheckDbSession implements CheckDb {
  readonly startedIds = new Set<string>();
  readonly finishedIds = new Set<string>();
  private reports: ReturnType<CheckDbSources['externalReports']> | undefined;

  constructor(private readonly sources: CheckDbSources) {}

  markInProgress(check: CheckRecord): void {
    check.status = 'in_progress';
    this.startedIds.add(check.id);
  }

  markFinished(check: CheckRecord): void {
    check.status = 'finished';
    this.finishedIds.add(check.id);
  }

  getTeamInfo(team: number, key: string): string | undefined {
    return this.sources.teamInfo(team, key);
  }

  async latestExternalReport(team: number, service: string): Promise<ExternalScore | undefined> {
    this.reports ??= this.sources.externalReports();
    const latest = (await this.reports).filter((r) => r.team === team && r.service === service).at(-1);
    return latest && { score: latest.score, error: latest.error };
  }
}

/** A session over `store` for the checks of `scan`. */
export function openCheckDbSession(store: Store, scan: ScanRecord, teamInfo: CheckDbSources['teamInfo']): CheckDbSession {
  return new CheckDbSession({ teamInfo, externalReports: () => store.externalReports({ competition: scan.competition, round: scan.round }) });
}
