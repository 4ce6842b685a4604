/**
 * The team actor's first database step for its checks, run inside its own `starting`
 * state: startCheck (the last hook with the database) and the `data` it leaves for the
 * check's other hooks, credentials, and one batch write
 * of every check as in progress. Failures here fail that check only.
 */
import { sealCheckData } from '../check-data.js';
import { resolveCredentials, type CredentialData } from '../credentials.js';
import { errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckRecord, ScanRecord, Service } from '../types.js';
import type { CheckGroup, FinishedCheck, PreparedGroup } from './check-group.js';
import { openCheckDbSession } from './check-db-session.js';
import { failedResult } from './check-result.js';
import { callWithDatabase } from './db-gate.js';

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
  const session = openCheckDbSession(store, scan, (team, key) => input.credentials.teamInfo[team]?.[key]);
  const started: CheckRecord[] = [];
  const failed: FinishedCheck[] = [];
  const groups: PreparedGroup[] = [];

  for (const group of input.groups) {
    const services: Service[] = [];
    const records: CheckRecord[] = [];
    const groupWarnings: string[][] = [];
    for (const service of group.services) {
      const record: CheckRecord = { id: `${scan.id}:${service.id}`, scanId: scan.id, service, status: 'in_progress', startedAt: now(), data: {} };
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
      if (!failure) {
        try {
          // Taken once here, so hooks see the same copy in this thread and in a check thread.
          (service as { data?: Service['data'] }).data = sealCheckData(record.data);
        } catch (err) {
          failure = `startCheck: ${errorMessage(err)}`;
        }
      }
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
        groupWarnings.push(warnings);
      }
    }
    if (services.length > 0) groups.push({ actorId: group.actorId, type: group.type, services, records, warnings: groupWarnings });
  }
  await store.checksStarted(started);
  return { groups, failed };
}
