/**
 * The per-check state behind `reportScore` and `log`. A ServiceType instance is shared
 * by every check of its type, so what one check reported cannot live on the instance:
 * it is bound to the check's own Service object instead (a WeakMap, nothing leaks).
 */
import { DuplicateReportError, InvalidScoreError, ScorekeeperError } from './errors.js';
import type { CheckLogLine } from './check-log-line.js';
import type { Service } from './types.js';

/** What a check reported through `reportScore`. */
export interface ReportedScore {
  readonly score: number;
  readonly error: string | null;
}

/** Receives a check's log lines (`log(service, action, ok)`, with its protocol and host). */
export type CheckLogSink = (service: Service, line: CheckLogLine) => void;

/** The running state of one check: what it reported and what went wrong. */
export class CheckSession {
  reported: ReportedScore | undefined;
  /** Misuse of the API (second report, invalid score); any one fails the check. */
  readonly violations: string[] = [];

  constructor(
    readonly service: Service,
    private readonly logSink: CheckLogSink,
  ) {}

  /** Validates and records a score; throws on misuse so the check fails loudly. */
  report(score: unknown, error: unknown): void {
    const { service } = this;
    if (this.reported) {
      const msg = `reportScore called twice for ${service.id} (first ${this.reported.score}, then ${String(score)})`;
      this.violations.push(msg);
      throw new DuplicateReportError(msg);
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      const msg = `reportScore for ${service.id}: score must be a finite number, got ${describe(score)}`;
      this.violations.push(msg);
      throw new InvalidScoreError(msg);
    }
    if (score < 0 || score > service.points) {
      const msg = `reportScore for ${service.id}: score ${score} is outside 0..${service.points}`;
      this.violations.push(msg);
      throw new InvalidScoreError(msg);
    }
    if (error !== undefined && error !== null && typeof error !== 'string') {
      const msg = `reportScore for ${service.id}: error must be a string or null, got ${describe(error)}`;
      this.violations.push(msg);
      throw new InvalidScoreError(msg);
    }
    this.reported = { score, error: error === '' || error === undefined ? null : error };
  }

  /** Forwards a standard log line to the scan logger. */
  log(line: CheckLogLine): void {
    this.logSink(this.service, line);
  }
}

const sessions = new WeakMap<Service, CheckSession>();

/** Binds a session to the service object a check receives. */
export function bindSession(service: Service, session: CheckSession): void {
  sessions.set(service, session);
}

/** The session of a service object, or a clear error naming the hook that asked. */
export function sessionOf(service: Service, hook: string): CheckSession {
  const session = sessions.get(service);
  if (!session) {
    throw new ScorekeeperError(
      'SK_NO_SESSION',
      `${hook}() was called with a service object that is not part of a running check` +
        ` (${describeService(service)}); pass the service the hook received`,
    );
  }
  return session;
}

/**
 * The check hook running synchronously right now, if any (set by the check worker around
 * each hook call): a database handle touched meanwhile names it in its error.
 */
export const runningCheckHook: { current: { readonly serviceId: string; hook: string } | undefined } = { current: undefined };

function describe(value: unknown): string {
  if (typeof value === 'string') return `string '${value.slice(0, 40)}'`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

function describeService(service: unknown): string {
  if (service && typeof service === 'object' && 'id' in service) return String((service).id);
  return typeof service;
}
