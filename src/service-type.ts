/**
 * `ServiceType`: the base class of every check, following IScorE's documented custom
 * service check API. Lifecycle of one check:
 *
 *   startCheck(check, db)  team actor, last hook with the database
 *   resolveMulti(service)  check actor: "self" or another type's short name
 *   preCheck(service)      check actor
 *   doCheck(service, ctx)  check actor: reportScore(), log(), getCredentials()
 *   postCheck(service)     check actor, runs even when doCheck failed
 *   endCheck(check, db)    team actor, after the result is recorded
 *
 * Mass types get the list of every team's service in preCheck, doMassCheck and postCheck.
 * One instance of each type serves every check of that type, concurrently: keep
 * per-check state on the service object or in local variables, never on `this`.
 */
import type { z } from 'zod';
import { hostLabel } from './check-log-line.js';
import { sessionOf } from './check-session.js';
import { CredentialsError, DatabaseAccessError, NotImplementedError } from './errors.js';
import type { CheckContext, CheckDb, CheckRecord, Credentials, Service, ServiceKind } from './types.js';

/** Base class of all checks. Subclass it, set `shortName`, implement `doCheck`. */
export abstract class ServiceType {
  /** Unique short name used in competition files ("http", "ssh"). */
  abstract readonly shortName: string;
  /** standard, multi (resolves to another type per team) or mass (all teams at once). */
  readonly kind: ServiceKind = 'standard';
  /** One line shown by `scorekeeper checks`. */
  readonly description: string = '';
  /**
   * Schema of `service.params` (zod). The competition-file loader validates every
   * service of this type with it before any scan starts.
   */
  readonly paramsSchema: z.ZodType | undefined = undefined;
  /** Names of params whose values are secrets: redacted from logs and pages. */
  readonly secretParams: readonly string[] = [];
  /**
   * Multi types: params only `resolveMulti` uses (e.g. `protocol`). They are removed from
   * the service before the resolved type sees it, so its strict schema does not trip.
   */
  readonly resolutionParams: readonly string[] = [];
  /**
   * The protocol in standard log lines (`SSH`, `PostgreSQL`): one word. Unset means the
   * short name upper-cased (`protocolOf`).
   */
  readonly displayName: string | undefined = undefined;
  /**
   * The port the protocol uses when a service sets none (22 for ssh). Log lines show a
   * service's port only when it differs; unset means every set port is shown.
   */
  readonly defaultPort: number | undefined = undefined;

  /**
   * Team actor, before the check actor exists. Marks the check in progress. An override
   * should call `super.startCheck(check, db)`; if it does not, the team actor marks the
   * check itself and records a warning, so the stored state is never left behind.
   */
  startCheck(check: CheckRecord, db: CheckDb): void | Promise<void> {
    db.markInProgress(check);
  }

  /** Returns "self", or the short name of the type that should check this service. */
  resolveMulti(_service: Service): string | Promise<string> {
    return 'self';
  }

  /** Runs before doCheck; a throw fails the check with its message. */
  preCheck(_service: Service | readonly Service[]): void | Promise<void> {
    return undefined;
  }

  /** Probes one team's service and calls reportScore. Standard and multi types. */
  doCheck(_service: Service, _ctx: CheckContext): void | Promise<void> {
    throw new NotImplementedError(this.shortName, 'doCheck');
  }

  /** Probes every team's service at once and reports a score for each. Mass types. */
  doMassCheck(_services: readonly Service[], _ctx: CheckContext): void | Promise<void> {
    throw new NotImplementedError(this.shortName, 'doMassCheck');
  }

  /**
   * Records the score of `service`: a number in 0..points, and an error message for a
   * blue team when the service is (partly) down. Call it exactly once per service.
   */
  reportScore(service: Service, score: number, error?: string | null): void {
    sessionOf(service, 'reportScore').report(score, error);
  }

  /**
   * Writes the standard log line from a short action: `log(service, 'login', false)` on
   * an ssh check writes `team-7/ssh: FAIL Team7 : SSH login to 10.7.1.20`
   * (grammar in src/check-log-line.ts and docs/custom-checks.md). `reason`, the error the
   * check reports, goes with the line (its `reason` field; shown after it on a terminal).
   */
  log(service: Service, action: string, ok: boolean, reason?: string | null): void {
    const line = { protocol: protocolOf(this), action, host: hostLabel(service, this.defaultPort), ok };
    sessionOf(service, 'log').log(ok || !reason ? line : { ...line, reason });
  }

  /**
   * The service's username and password, as the team actor resolved them from the
   * configured source. Throws CredentialsError when none are available.
   */
  getCredentials(service: Service): Credentials {
    if (service.username === undefined || service.password === undefined) {
      const source = service.credentialSource;
      const where = source
        ? source.from === 'pool'
          ? `Team Info Pool '${source.pool}'`
          : source.from === 'teamInfo'
            ? `Team Specific Info '${source.passwordKey}'`
            : 'explicit credentials'
        : 'no credentials configured for this service';
      throw new CredentialsError(`${service.id}: no credentials for ${service.team.name} (${where})`);
    }
    return { username: service.username, password: service.password };
  }

  /** Runs after doCheck, even if it failed or timed out; a throw is kept as a warning. */
  postCheck(_service: Service | readonly Service[]): void | Promise<void> {
    return undefined;
  }

  /**
   * Team actor, after the result is recorded. Marks the check finished. Like startCheck,
   * a forgotten `super.endCheck()` is repaired by the team actor with a warning.
   */
  endCheck(check: CheckRecord, db: CheckDb): void | Promise<void> {
    db.markFinished(check);
  }

  /** There is no database on a ServiceType: it arrives as the `db` parameter only. */
  get db(): never {
    throw new DatabaseAccessError(
      `${this.shortName}: a ServiceType has no database; use the db parameter of startCheck/endCheck`,
    );
  }
}

/** The protocol word of a type's log lines: its `displayName`, else its short name upper-cased. */
export function protocolOf(type: ServiceType): string {
  return (type.displayName ?? type.shortName.toUpperCase()).replace(/\s+/g, '-');
}

/** A concrete ServiceType class, as registered. */
export type ServiceTypeClass = new () => ServiceType;
