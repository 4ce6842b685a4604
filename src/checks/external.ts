/**
 * `external`: a service that is never probed (IScorE's external checks). Its score for a
 * round comes from a report filed with `engine.reportExternal(...)` or
 * `scorekeeper report` while the round runs. The check only keeps the window open until
 * its deadline; its endCheck, run by the team actor with the database, applies the
 * latest report of the round. No report means 0 with "no external report".
 */
import { ServiceType } from '../service-type.js';
import type { CheckContext, CheckDb, CheckRecord, CheckResult, ExternalScore, Service } from '../types.js';

/** Short name of the external type. */
export const EXTERNAL_TYPE_NAME = 'external';

/** The message of a round without a report. */
export const NO_EXTERNAL_REPORT = 'no external report';

/** Margin kept before the deadline so the window closes without a timeout. */
const CLOSE_EARLY_MS = 50;

/** An external service: waits out its report window, never touches the network. */
export class ExternalCheck extends ServiceType {
  readonly shortName = EXTERNAL_TYPE_NAME;
  override readonly description = 'never probed: scored from reports filed during the round (engine.reportExternal, scorekeeper report)';

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const wait = Math.max(0, ctx.deadline - Date.now() - CLOSE_EARLY_MS);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    this.reportScore(service, 0, NO_EXTERNAL_REPORT);
  }

  /** Applies the round's latest report (capped at the service's points by the team actor). */
  override async endCheck(check: CheckRecord, db: CheckDb): Promise<void> {
    const { result } = check;
    if (result && result.error === NO_EXTERNAL_REPORT) {
      const report = await db.latestExternalReport(check.service.team.number, check.service.name);
      if (report) check.result = withReport(result, report);
    }
    await super.endCheck(check, db);
  }
}

/**
 * A check result carrying a report. A full score with a message counts up, as
 * round_scores counts it (db/external.ts externalUp): the message stays, as a warning.
 */
function withReport(result: CheckResult, report: ExternalScore): CheckResult {
  if (report.error !== null && result.points > 0 && report.score >= result.points) {
    return { ...result, score: report.score, error: null, warnings: [...result.warnings, report.error] };
  }
  return { ...result, score: report.score, error: report.error };
}
