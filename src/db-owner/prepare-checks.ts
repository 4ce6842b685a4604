/**
 * The db owner's first step for its checks, run inside its own `starting` state:
 * startCheck (the last hook with the database), credentials, and one batch write of
 * every check as in progress. Failures here fail that check only.
 */
import { CheckDbSession } from '../check-db.js';
import { resolveCredentials, type CredentialData } from '../credentials.js';
import { callWithDatabase } from '../db-gate.js';
import { errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckRecord, CheckResult, ScanRecord, Service } from '../types.js';
import type { CheckGroup, FinishedCheck, PreparedGroup } from './check-group.js';

/** What `prepareChecks` needs. */
export interface PrepareInput {
  readonly scan: ScanRecord;
  readonly groups: readonly CheckGroup[];
  readonly store: Store;
  readonly credentials: CredentialData;
  readonly random: () => number;
  readonly now: () => number;
}

/** Groups ready to spawn, and checks that failed before they could run. */
export interface Prepared {
  readonly groups: PreparedGroup[];
  readonly failed: FinishedCheck[];
}

/** Runs startCheck and resolves credentials for every check, then records them started. */
export async function prepareChecks(input: PrepareInput): Promise<Prepared> {
  const { scan, store, now } = input;
  const session = new CheckDbSession((team, key) => input.credentials.teamInfo[team]?.[key]);
  const started: CheckRecord[] = [];
  const failed: FinishedCheck[] = [];
  const groups: PreparedGroup[] = [];

  for (const group of input.groups) {
    const services: Service[] = [];
    const records: CheckRecord[] = [];
    for (const service of group.services) {
      const record: CheckRecord = { id: `${scan.id}:${service.id}`, scanId: scan.id, service, status: 'in_progress', startedAt: now() };
      const warnings: string[] = [];
      let failure: string | undefined;
      try {
        const answer = callWithDatabase(group.type, 'startCheck', record, session);
        if (answer) await answer;
      } catch (err) {
        failure = `startCheck: ${errorMessage(err)}`;
      }
      if (!session.startedIds.has(record.id)) {
        session.markInProgress(record);
        if (!failure) warnings.push(`startCheck of '${group.type.shortName}' did not call super.startCheck(); the check was marked in progress for it`);
      }
      started.push(record);
      if (!failure && service.credentialSource) {
        try {
          const { username, password } = resolveCredentials(service.credentialSource, service.team, input.credentials, input.random);
          service.username = username;
          service.password = password;
        } catch (err) {
          failure = errorMessage(err);
        }
      }
      if (failure) {
        failed.push({ record, type: group.type, result: failedResult(record, failure, warnings, now()) });
      } else {
        services.push(service);
        records.push(record);
        if (warnings.length) pendingWarnings.set(record, warnings);
      }
    }
    if (services.length > 0) groups.push({ actorId: group.actorId, type: group.type, services, records });
  }
  await store.checksStarted(started);
  return { groups, failed };
}

/** Warnings raised before a check ran, carried to its result. */
export const pendingWarnings = new WeakMap<CheckRecord, string[]>();

/** The result of a check that failed before its actor ran. */
export function failedResult(record: CheckRecord, error: string, warnings: readonly string[], finishedAt: number): CheckResult {
  const { service } = record;
  return {
    checkId: record.id,
    scanId: record.scanId,
    team: service.team.number,
    service: service.name,
    type: service.type,
    resolvedType: undefined,
    score: 0,
    points: service.points,
    error,
    status: 'finished',
    startedAt: record.startedAt,
    finishedAt,
    durationMs: finishedAt - record.startedAt,
    warnings,
    timings: {},
  };
}
