/**
 * The plain data that flows through the engine: competitions, services as a check
 * sees them, check records and results. None of it carries a database handle.
 */
import type { LoopLag } from './scheduling/loop-lag.js';

/** The three kinds of check documented by IScorE. */
export type ServiceKind = 'standard' | 'multi' | 'mass';

/** A blue team, as a check sees it. */
export interface TeamRef {
  /** Team number, used in host templates (`10.{team}.1.10`). */
  readonly number: number;
  /** Display name, e.g. "Team7". */
  readonly name: string;
}

/** A username/password pair from explicit config, Team Specific Info or a pool. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Where a service's credentials come from:
 * - `explicit`: written in the competition file;
 * - `teamInfo`: Team Specific Info keys of the team (the username may be fixed);
 * - `pool`: one random entry of the team's Team Info Pool of that name.
 */
export type CredentialSource =
  | { readonly from: 'explicit'; readonly username: string; readonly password: string }
  | {
      readonly from: 'teamInfo';
      readonly username?: string;
      readonly usernameKey?: string;
      readonly passwordKey: string;
    }
  | { readonly from: 'pool'; readonly pool: string };

/** One configured service, before it is expanded for each team. */
export interface ServiceConfig {
  /** Service name, unique in the competition ("web", "ssh"). */
  readonly name: string;
  /** Short name of a registered ServiceType. */
  readonly type: string;
  /** Host, with `{team}` (and `{var}` for team variables) substituted per team. */
  readonly host: string;
  /** A port, or a template (`"{port}"`) filled from each team's variables like `host`. */
  readonly port?: number | string;
  /** Points for a fully successful check. Default 1. */
  readonly points?: number;
  /** Deadline of the whole check in milliseconds. Default: the scan's. */
  readonly timeoutMs?: number;
  /** Type-specific parameters (path, expected content, query...); `{var}` in its strings is filled per team. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Where the credentials come from, if the check needs any. */
  readonly credentials?: CredentialSource;
  /** Parameter names whose values are secrets (redacted like passwords). */
  readonly secretParams?: readonly string[];
  /**
   * Where the check must run from in distributed mode: only scanners of this zone run
   * it (docs/scale-out.md). A template like `host` (`"{segment}"`), so each team's
   * service may name its own. None: any scanner.
   */
  readonly zone?: string;
}

/**
 * A team's own values for fields of one service (`TeamConfig.overrides`); fields left
 * out are the service's. Points, type and credentials cannot differ per team (scores
 * must compare; per-team credentials come from Team Specific Info or pools).
 */
export interface ServiceOverride {
  /** Replaces the service's host (templates are filled for this team as usual). */
  readonly host?: string;
  /** Replaces the service's port (a number or a template). */
  readonly port?: number | string;
  /** Replaces the service's deadline, milliseconds. */
  readonly timeoutMs?: number;
  /** Merged over the service's params key by key: a key given here replaces that key's whole value. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A team in the competition file. */
export interface TeamConfig {
  readonly number: number;
  readonly name?: string;
  /** Template variables: `{name}` in host, port and params strings. */
  readonly vars?: Readonly<Record<string, string>>;
  /** This team's own values for fields of some services, by service name (expandService applies them). */
  readonly overrides?: Readonly<Record<string, ServiceOverride>>;
}

/** Everything the engine needs to run a scan. */
export interface Competition {
  readonly name: string;
  readonly teams: readonly TeamConfig[];
  readonly services: readonly ServiceConfig[];
  /** Team Specific Info: team number → key → value. */
  readonly teamInfo?: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** Team Info Pools: pool name → team number → entries. */
  readonly pools?: Readonly<Record<string, Readonly<Record<number, readonly Credentials[]>>>>;
  /** Default deadline of a check, milliseconds. Default 10,000. */
  readonly defaultTimeoutMs?: number;
}

/** A service as configured for one team: the plain data every hook receives. */
export interface Service {
  /** `team-7/ssh`: actor name, log prefix and key of the check in a scan. */
  readonly id: string;
  readonly name: string;
  /** Configured type short name. */
  readonly type: string;
  readonly team: TeamRef;
  readonly host: string;
  readonly port: number | undefined;
  readonly points: number;
  readonly timeoutMs: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** Filled in by the team actor from the configured source; never logged. */
  username?: string;
  /** Filled in by the team actor from the configured source; never logged. */
  password?: string;
  /** Where the credentials were configured to come from (for messages). */
  readonly credentialSource?: CredentialSource;
  /**
   * What this check's startCheck put in `check.data`, as a frozen copy: the way to hand
   * values from startCheck to the hooks of the check actor, check threads or not
   * (src/check-data.ts). Set by the engine for every check (empty if startCheck put nothing).
   */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The zone of the scanners that may run this check (distributed mode); none: any. */
  readonly zone?: string;
}

/** Status of a check record, as stored. */
export type CheckStatus = 'in_progress' | 'finished' | 'interrupted';

/** The stored record of one check of one service in one scan. */
export interface CheckRecord {
  /** `<scanId>:<service.id>`. */
  readonly id: string;
  readonly scanId: string;
  readonly service: Service;
  status: CheckStatus;
  readonly startedAt: number;
  finishedAt?: number;
  /** Set before `endCheck` runs: what the check scored. */
  result?: CheckResult;
  /**
   * Filled by startCheck for the check's other hooks, which read it as `service.data`:
   * plain data only (it is copied as a structured clone, since they may run in a check thread).
   */
  readonly data: Record<string, unknown>;
}

/**
 * What a `startCheck` / `endCheck` hook may do with the database. The team actor lends
 * it for that one call (src/team-database/db-gate.ts).
 */
export interface CheckDb {
  /** Marks the check in progress (the base `startCheck` does this). */
  markInProgress(check: CheckRecord): void;
  /** Marks the check finished (the base `endCheck` does this). */
  markFinished(check: CheckRecord): void;
  /** A Team Specific Info value of the check's team, as of this round. */
  getTeamInfo(team: number, key: string): string | undefined;
  /** The latest report filed this round for a team's service (external checks), if any. */
  latestExternalReport(team: number, service: string): Promise<ExternalScore | undefined>;
}

/** A score filed from outside the engine for one team's service in the current round. */
export interface ExternalScore {
  readonly score: number;
  readonly error: string | null;
}

/** Milliseconds spent in each lifecycle hook of one check. */
export type HookTimings = Partial<Record<'resolveMulti' | 'preCheck' | 'doCheck' | 'postCheck', number>>;

/** The outcome of one check: exactly one per started check. */
export interface CheckResult {
  readonly checkId: string;
  readonly scanId: string;
  readonly team: number;
  readonly service: string;
  /** Configured type. */
  readonly type: string;
  /** Type that actually ran (differs for multi-protocol types). */
  readonly resolvedType: string | undefined;
  /** 0..points. */
  readonly score: number;
  readonly points: number;
  /** Why the service is down, or null when it is up. */
  readonly error: string | null;
  readonly status: CheckStatus;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  /** Non-fatal problems (a postCheck that threw, a startCheck that forgot super...). */
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
  /** Whether the check was ended by its deadline (the engine's, not the probe's own). */
  readonly timedOut: boolean;
  /**
   * 2 when the check ran a second time because the scanner was overloaded during its first
   * run (this is the second run's result); absent for a check that ran once.
   */
  readonly attempts?: number;
  /**
   * The longest stall of the scanner's event loop while the check ran, ms, when it was at
   * least `OVERLOAD_STALL_MS` (src/scheduling/overload.ts): absent when the scanner kept up.
   */
  readonly scannerStallMs?: number;
  /** The scanner that ran it, in distributed mode (docs/scale-out.md); absent when the engine ran it. */
  readonly scanner?: string;
}

/** What a check's doCheck/doMassCheck receives besides the service. */
export interface CheckContext {
  /** Aborts at the deadline or when the scan is stopped. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which the check is aborted. */
  readonly deadline: number;
  /** The check's timeout in milliseconds. */
  readonly timeoutMs: number;
}

/** A scan (one round of checks) as stored. */
export interface ScanRecord {
  readonly id: string;
  readonly competition: string;
  readonly round: number;
  readonly startedAt: number;
}

/** What a finished scan reports. */
export interface ScanSummary {
  readonly scanId: string;
  readonly round: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  readonly checks: number;
  readonly up: number;
  readonly down: number;
  readonly timedOut: number;
  /**
   * Checks the scan was stopped before they finished (`ScanHandle.stop()`): stored
   * `interrupted`, counted in `checks` but neither up nor down, and they score for nobody.
   */
  readonly interrupted: number;
  /** Checks that failed while the scanner was overloaded and ran again within the round. */
  readonly rerun: number;
  /**
   * Checks that failed while the scanner was overloaded and could not run again in time:
   * stored `interrupted` (counted in `interrupted` too), scoring for nobody.
   */
  readonly overloaded: number;
  /** The engine thread's event-loop lag over the scan (src/scheduling/loop-lag.ts). */
  readonly loopLag: LoopLag;
  /** Problems with storage during the scan (retries, outages). */
  readonly storeIssues: readonly string[];
}
