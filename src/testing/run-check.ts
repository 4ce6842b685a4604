/**
 * `runCheck`: runs one ServiceType against one service through a real service-check
 * actor, without an engine or a database. For testing checks (ours and plugins').
 */
import { createActor, toPromise } from 'xstate';
import { sendingTo, serviceCheckLogic, type CheckActorInput } from '../../machines/checkActorLogic.js';
import { sealCheckData } from '../check-data.js';
import { formatCheckLine } from '../check-log-line.js';
import type { CheckVerdict } from '../team-database/check-result.js';
import { startCheckWorker, type CheckWorkerEvent } from '../lifecycle/check-worker.js';
import type { CheckState } from '../lifecycle/states.js';
import { defaultRegistry, type ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import type { CredentialSource, Service } from '../types.js';

/** The parts of a service a test sets; the rest get defaults. */
export interface ServiceInit {
  readonly host: string;
  readonly port?: number;
  readonly name?: string;
  readonly team?: { number: number; name: string };
  readonly points?: number;
  readonly params?: Record<string, unknown>;
  readonly username?: string;
  readonly password?: string;
  readonly credentialSource?: CredentialSource;
  /** What a startCheck would have put in `check.data`: the check reads it as `service.data`. */
  readonly data?: Record<string, unknown>;
}

/** Options of `runCheck`. */
export interface RunCheckOptions {
  /** Registry used to resolve multi-protocol types. Default: the default registry. */
  readonly registry?: ServiceRegistry;
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What one check produced: its verdict, as the engine would record it, and what it showed. */
export interface RunCheckResult extends CheckVerdict {
  /** Standard log lines the check wrote. */
  readonly logs: readonly string[];
  /** The lifecycle states the actor went through. */
  readonly states: readonly string[];
}

/** Builds the Service object a check receives. */
export function makeService(type: ServiceType, init: ServiceInit, timeoutMs = 5000): Service {
  const team = init.team ?? { number: 1, name: 'Team1' };
  const name = init.name ?? type.shortName;
  return {
    id: `team-${team.number}/${name}`,
    name,
    type: type.shortName,
    team,
    host: init.host,
    port: init.port,
    points: init.points ?? 1,
    timeoutMs,
    params: init.params ?? {},
    ...(init.username !== undefined ? { username: init.username } : {}),
    ...(init.password !== undefined ? { password: init.password } : {}),
    ...(init.credentialSource ? { credentialSource: init.credentialSource } : {}),
    data: sealCheckData(init.data),
  };
}

/** Runs `type` against the service described by `init` and returns its outcome. */
export async function runCheck(type: ServiceType, init: ServiceInit, options: RunCheckOptions = {}): Promise<RunCheckResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const service = makeService(type, init, timeoutMs);
  const logs: string[] = [];
  const input: CheckActorInput = {
    services: [service],
    checkIds: [`test:${service.id}`],
    actorId: service.id,
    type,
    registry: options.registry ?? defaultRegistry,
    timeoutMs,
    logSink: (s, line) => logs.push(formatCheckLine(s, line)),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Every state the actor's own snapshots show. Steps that happened together (one
  // check.steps event) are sent to it one by one, so each step has its snapshot.
  const states: CheckState[] = [];
  const actor = createActor(serviceCheckLogic, { input });
  actor.subscribe({ next: (snapshot) => {
    if (states.at(-1) !== snapshot.value) states.push(snapshot.value);
  }, error: () => undefined });
  states.push(actor.getSnapshot().value);
  actor.start();
  const send = sendingTo(actor);
  startCheckWorker(input, (event: CheckWorkerEvent) => {
    if (event.type === 'check.steps') for (const step of event.steps) send(step);
    else send(event);
  });
  const { outcome } = await toPromise(actor);
  const first = outcome.outcomes[0];
  if (!first) throw new Error('check produced no outcome');
  return {
    score: first.score,
    error: first.error,
    timedOut: first.timedOut,
    resolvedType: outcome.resolvedType,
    warnings: outcome.warnings,
    timings: outcome.timings,
    logs,
    states,
  };
}
