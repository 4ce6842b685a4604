/**
 * The service scanner page's data: the latest round as a teams × services grid, totals
 * and uptime, each service's history, password changes and the admin's unscored "check
 * now". A team principal only ever gets its own team's rows and messages; the rules are
 * enforced here, not in the page.
 */
import { expandService } from '../competition.js';
import { resolveCredentials } from '../credentials.js';
import { errorMessage } from '../errors.js';
import type { AuditEntry, AuditRow } from '../db/audit-log.js';
import type { ResultRow, ResultsQuery } from '../db/results.js';
import type { TeamScore } from '../db/scores.js';
import type { TeamInfoChange } from '../db/team-info.js';
import type { ServiceRegistry } from '../registry.js';
import { runCheck } from '../testing/run-check.js';
import { textValueProblem } from '../text-value.js';
import type { Competition } from '../types.js';
import { HttpError } from './http-helpers.js';
import type { Principal } from './token-auth.js';

/** The store queries the scanner page needs (PostgresStore and EmbeddedStore have them). */
export interface ScannerStore {
  results(query: ResultsQuery): Promise<ResultRow[]>;
  scores(competition: string): Promise<TeamScore[]>;
  setTeamInfo(change: TeamInfoChange): Promise<{ effectiveRound: number }>;
  teamInfo(competition: string, round: number): Promise<Record<number, Record<string, string>>>;
  /** Audit log (optional: a store without it records nothing). */
  recordAudit?(entry: AuditEntry): Promise<void>;
  auditLog?(competition: string, limit?: number): Promise<AuditRow[]>;
}

/** Who made a request, as the audit log names them: `admin` or `team 3`, and the address. */
export function auditActor(who: Principal, address: string | undefined): string {
  return `${who.role === 'admin' ? 'admin' : `team ${who.team}`}${address ? ` from ${address}` : ''}`;
}

/** One cell of the grid. */
export interface ScannerCell {
  readonly up: boolean;
  readonly status: string;
  readonly score: number | null;
  readonly points: number;
  readonly error: string | null;
}

/** One team's row. */
export interface ScannerRow {
  readonly team: number;
  readonly name: string;
  readonly total: number;
  readonly points: number;
  readonly uptime: number;
  readonly cells: Readonly<Record<string, ScannerCell>>;
}

/** GET /api/scanner. */
export interface ScannerView {
  readonly competition: string;
  readonly round: number | null;
  readonly services: readonly string[];
  readonly teams: readonly ScannerRow[];
  /** Team Specific Info keys a password change may set. */
  readonly passwordKeys: readonly string[];
}

/** One round of one service of one team. */
export interface HistoryEntry {
  readonly round: number;
  readonly status: string;
  readonly score: number | null;
  readonly points: number;
  readonly error: string | null;
}

/** The outcome of an unscored check. */
export interface CheckNowResult {
  readonly team: number;
  readonly service: string;
  readonly score: number;
  readonly error: string | null;
  readonly timedOut: boolean;
  readonly resolvedType: string | undefined;
  readonly timings: Readonly<Record<string, number>>;
  readonly states: readonly string[];
  /** The check's log lines and warnings, step by step, with the password and secret params blanked. */
  readonly logs: readonly string[];
  readonly warnings: readonly string[];
}

/** Rounds a history request returns at most. */
export const HISTORY_ROUNDS = 20;

/** See the module comment. */
export class ScannerApi {
  constructor(
    private readonly competition: Competition,
    private readonly store: ScannerStore,
    private readonly registry: ServiceRegistry,
  ) {}

  /** Keys a password change may set: the services' Team Specific Info password keys. */
  passwordKeys(): string[] {
    const keys = new Set<string>();
    for (const s of this.competition.services) if (s.credentials?.from === 'teamInfo') keys.add(s.credentials.passwordKey);
    return [...keys].sort();
  }

  /** The grid, restricted to the principal's team when it is a team. */
  async view(who: Principal): Promise<ScannerView> {
    const team = who.role === 'team' ? who.team : undefined;
    const name = this.competition.name;
    const [rows, scores] = await Promise.all([this.store.results({ competition: name, ...(team !== undefined ? { team } : {}) }), this.store.scores(name)]);
    const byTeam = new Map(scores.map((s) => [s.team, s]));
    const teams = this.competition.teams
      .filter((t) => team === undefined || t.number === team)
      .map((t): ScannerRow => {
        const score = byTeam.get(t.number);
        const cells: Record<string, ScannerCell> = {};
        for (const r of rows) {
          if (r.team !== t.number) continue;
          cells[r.service] = { up: r.up ?? (r.status === 'finished' && r.error === null), status: r.status, score: r.score, points: r.points, error: r.error };
        }
        return { team: t.number, name: t.name ?? `Team${t.number}`, total: score?.total ?? 0, points: score?.points ?? 0, uptime: score?.uptime ?? 0, cells };
      });
    return { competition: name, round: rows[0]?.round ?? null, services: this.competition.services.map((s) => s.name), teams, passwordKeys: this.passwordKeys() };
  }

  /** The last rounds of one service of one team, newest first. */
  async history(who: Principal, team: number, service: string): Promise<HistoryEntry[]> {
    this.allowTeam(who, team);
    this.serviceConfig(service);
    const name = this.competition.name;
    const latest = (await this.store.results({ competition: name, team }))[0]?.round;
    if (latest === undefined) return [];
    const rounds = Array.from({ length: Math.min(HISTORY_ROUNDS, latest) }, (_, i) => latest - i).filter((r) => r >= 1);
    const perRound = await Promise.all(rounds.map((round) => this.store.results({ competition: name, round, team })));
    return perRound.flatMap((rows) =>
      rows.filter((r) => r.service === service).map((r) => ({ round: r.round, status: r.status, score: r.score, points: r.points, error: r.error })),
    );
  }

  /** Records a password change (Team Specific Info) from the next round on. */
  async changePassword(who: Principal, body: Record<string, unknown>, address?: string): Promise<{ team: number; key: string; effectiveRound: number }> {
    const team = who.role === 'team' ? who.team : body.team;
    if (who.role === 'team' && body.team !== undefined && body.team !== who.team) throw new HttpError(403, 'a team token can only change its own team');
    if (typeof team !== 'number' || !this.competition.teams.some((t) => t.number === team)) throw new HttpError(400, `team must be a team number of '${this.competition.name}'`);
    const { key, value } = body;
    if (typeof key !== 'string' || !this.passwordKeys().includes(key)) throw new HttpError(400, `key must be one of: ${this.passwordKeys().join(', ') || '(none: no service uses Team Specific Info passwords)'}`);
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) throw new HttpError(400, 'value must be a string of 1..1024 characters');
    const problem = textValueProblem(value);
    if (problem) throw new HttpError(400, `value ${problem}`);
    const { effectiveRound } = await this.store.setTeamInfo({ competition: this.competition.name, team, key, value });
    await this.audit({ actor: auditActor(who, address), action: 'password-change', team, subject: key, detail: `from round ${effectiveRound}` });
    return { team, key, effectiveRound };
  }

  /** Runs one service of one team now, through runCheck; the result is not stored. */
  async checkNow(who: Principal, body: Record<string, unknown>, address?: string): Promise<CheckNowResult> {
    if (who.role !== 'admin') throw new HttpError(403, 'check now needs the admin token');
    const { team: number, service: serviceName } = body;
    const team = this.competition.teams.find((t) => t.number === number);
    if (!team) throw new HttpError(400, `team must be a team number of '${this.competition.name}'`);
    if (typeof serviceName !== 'string') throw new HttpError(400, 'service must be a service name');
    const config = this.serviceConfig(serviceName);
    const type = this.registry.get(config.type, `service '${config.name}'`);
    if (type.kind === 'mass') throw new HttpError(400, `service '${config.name}' is a mass check; check now runs one team's service only`);
    const service = expandService(config, team, this.competition);
    await this.audit({ actor: auditActor(who, address), action: 'check-now', team: team.number, subject: config.name });
    let credentials: { username: string; password: string } | undefined;
    if (service.credentialSource) {
      const name = this.competition.name;
      const latest = (await this.store.results({ competition: name, team: team.number }))[0]?.round ?? 0;
      const stored = await this.store.teamInfo(name, latest + 1);
      const teamInfo = { [team.number]: { ...(this.competition.teamInfo?.[team.number] ?? {}), ...(stored[team.number] ?? {}) } };
      try {
        credentials = resolveCredentials(service.credentialSource, service.team, { teamInfo, pools: this.competition.pools ?? {} });
      } catch (err) {
        return { team: team.number, service: config.name, score: 0, error: errorMessage(err), timedOut: false, resolvedType: undefined, timings: {}, states: [], logs: [], warnings: [] };
      }
    }
    // A check may echo what it sent: its secrets never reach the page.
    const secrets = [credentials?.password, ...(config.secretParams ?? []).map((p) => service.params[p])].filter((v): v is string => typeof v === 'string' && v.length > 0);
    const blank = (line: string) => secrets.reduce((text, secret) => text.split(secret).join('•••'), line);
    const result = await runCheck(
      type,
      {
        host: service.host,
        ...(service.port !== undefined ? { port: service.port } : {}),
        name: service.name,
        team: service.team,
        points: service.points,
        params: { ...service.params },
        ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
        ...(service.credentialSource ? { credentialSource: service.credentialSource } : {}),
      },
      { registry: this.registry, timeoutMs: service.timeoutMs },
    );
    return {
      team: team.number,
      service: config.name,
      score: result.score,
      error: result.error,
      timedOut: result.timedOut,
      resolvedType: result.resolvedType,
      timings: { ...result.timings },
      states: result.states,
      logs: result.logs.map(blank),
      warnings: result.warnings.map(blank),
    };
  }

  /** The latest audit entries (admin only). */
  async auditLog(who: Principal): Promise<{ entries: AuditRow[] }> {
    if (who.role !== 'admin') throw new HttpError(403, 'the audit log needs the admin token');
    return { entries: (await this.store.auditLog?.(this.competition.name)) ?? [] };
  }

  private async audit(entry: Omit<AuditEntry, 'competition'>): Promise<void> {
    await this.store.recordAudit?.({ competition: this.competition.name, ...entry });
  }

  private allowTeam(who: Principal, team: number): void {
    if (!this.competition.teams.some((t) => t.number === team)) throw new HttpError(404, `no team ${team} in '${this.competition.name}'`);
    if (who.role === 'team' && who.team !== team) throw new HttpError(403, 'a team token can only see its own team');
  }

  private serviceConfig(name: string) {
    const config = this.competition.services.find((s) => s.name === name);
    if (!config) throw new HttpError(404, `no service '${name}' in '${this.competition.name}'`);
    return config;
  }
}
