/**
 * `runCheck`: runs one ServiceType against one service through a real service-check
 * actor, without an engine or a database. For testing checks (ours and plugins').
 */
import { createActor, toPromise } from 'xstate';
import { CHECK_LIFECYCLE, type CheckActorInput, type CheckState } from '../../machines/checkLifecycleMachine.js';
import { driveCheckActor, type CheckStep, type CheckWorkerEvent } from '../../machines/checkWorker.js';
import { serviceCheckMachine } from '../../machines/serviceCheckMachine.js';
import { defaultRegistry, type ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import type { CredentialSource, HookTimings, Service } from '../types.js';

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
}

/** Options of `runCheck`. */
export interface RunCheckOptions {
  /** Registry used to resolve multi-protocol types. Default: the default registry. */
  readonly registry?: ServiceRegistry;
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What one check produced. */
export interface RunCheckResult {
  readonly score: number;
  readonly error: string | null;
  readonly timedOut: boolean;
  readonly resolvedType: string | undefined;
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
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
  };
}

/** Runs `type` against the service described by `init` and returns its outcome. */
export async function runCheck(type: ServiceType, init: ServiceInit, options: RunCheckOptions = {}): Promise<RunCheckResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const service = makeService(type, init, timeoutMs);
  const logs: string[] = [];
  const states: string[] = [];
  const input: CheckActorInput = {
    services: [service],
    checkIds: [`test:${service.id}`],
    actorId: service.id,
    type,
    registry: options.registry ?? defaultRegistry,
    timeoutMs,
    logSink: (s, action, ok) => logs.push(`${s.id}: ${ok ? 'Success' : 'FAIL'} ${s.team.name} : ${action}`),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Every state the actor's events walk it through: steps that came together (one
  // check.steps event, one snapshot) are walked one by one, by the actor's own table.
  let state: CheckState = 'started';
  states.push(state);
  const walk = (event: CheckWorkerEvent) => {
    const steps: readonly CheckStep[] = event.type === 'check.steps' ? event.steps : [event];
    for (const step of steps) {
      const next = CHECK_LIFECYCLE[state][step.type];
      if (next) states.push((state = next));
    }
  };
  const actor = createActor(serviceCheckMachine, {
    input,
    inspect: (e) => {
      if (e.type === '@xstate.event' && e.event.type.startsWith('check.')) walk(e.event as CheckWorkerEvent);
    },
  });
  actor.start();
  driveCheckActor(actor, input);
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
