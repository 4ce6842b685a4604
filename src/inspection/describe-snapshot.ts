/**
 * Reads the few fields the inspector shows out of an XState snapshot of one of our
 * machines (scan, team, serviceCheck, massCheck). Whitelist only: a check's context
 * holds `lifecycle`, whose services carry passwords, so nothing is copied wholesale;
 * each field is picked by name and checked for its primitive type.
 */
import type { HookTimings } from '../types.js';
import type { ActorKind, ServiceOutcomeView } from './hub-messages.js';

/** What a snapshot says about its actor. */
export interface SnapshotFacts {
  readonly kind: ActorKind;
  readonly label: string;
  readonly state: string;
  readonly status: string;
  readonly team?: number;
  readonly service?: string;
  readonly type?: string;
  readonly resolvedType?: string;
  readonly startedAt?: number;
  /** Set only by check actors, which record it themselves. */
  readonly enteredAt?: number;
  readonly timeoutMs?: number;
  readonly postCheckGraceMs?: number;
  readonly timings?: HookTimings;
  readonly outcomes?: readonly ServiceOutcomeView[];
  readonly round?: number;
  readonly competition?: string;
  readonly counts?: { checks: number; up: number; down: number };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const HOOKS = ['resolveMulti', 'preCheck', 'doCheck', 'postCheck'] as const;

/** A state value as text: `checking`, or `running(checks.active, writer.idle)`. */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = obj(value);
  if (!o) return String(value);
  const parts = Object.entries(o).map(([k, v]) => {
    const inner = stateText(v);
    return typeof v === 'string' ? `${k}.${inner}` : `${k}(${inner})`;
  });
  const keys = Object.keys(o);
  // One region: `a.b`; parallel regions: `a(b.c, d.e)`.
  if (keys.length === 1) return parts[0]!;
  return parts.join(', ');
}

/** The facts of a snapshot of one of our machines; undefined for any other actor. */
export function describeSnapshot(snapshot: unknown): SnapshotFacts | undefined {
  const snap = obj(snapshot);
  const machineId = str(obj(snap?.machine)?.id);
  if (!snap || !machineId) return undefined;
  const context = obj(snap.context) ?? {};
  const base = { state: stateText(snap.value), status: str(snap.status) ?? 'active' };
  switch (machineId) {
    case 'scan':
      return { ...base, ...scanFacts(context) };
    case 'team':
      return { ...base, ...teamFacts(context) };
    case 'serviceCheck':
    case 'massCheck':
      return { ...base, ...checkFacts(context, machineId === 'massCheck', base.state) };
    default:
      return undefined;
  }
}

function scanFacts(context: Obj): Omit<SnapshotFacts, 'state' | 'status'> {
  const scan = obj(obj(context.plan)?.scan);
  const round = num(scan?.round);
  const competition = str(scan?.competition);
  const summary = obj(context.summary);
  const checks = num(summary?.checks);
  return {
    kind: 'scan',
    label: round !== undefined ? `round ${round}` : 'scan (preparing)',
    ...(round !== undefined ? { round } : {}),
    ...(competition !== undefined ? { competition } : {}),
    ...(checks !== undefined ? { counts: { checks, up: num(summary?.up) ?? 0, down: num(summary?.down) ?? 0 } } : {}),
  };
}

function teamFacts(context: Obj): Omit<SnapshotFacts, 'state' | 'status'> {
  const ownerId = str(obj(context.input)?.ownerId) ?? 'team';
  const match = /^team-(\d+)$/.exec(ownerId);
  const team = match ? Number(match[1]) : undefined;
  return {
    kind: 'team',
    label: team !== undefined ? `Team ${team}` : ownerId === 'mass' ? 'mass checks' : ownerId,
    ...(team !== undefined ? { team } : {}),
    counts: { checks: num(context.checks) ?? 0, up: num(context.up) ?? 0, down: num(context.down) ?? 0 },
  };
}

function checkFacts(context: Obj, mass: boolean, state: string): Omit<SnapshotFacts, 'state' | 'status'> {
  const lifecycle = obj(context.lifecycle) ?? {};
  const services = Array.isArray(lifecycle.services) ? (lifecycle.services as unknown[]).map(obj) : [];
  // Only these fields of a service are read: never username, password or params.
  const info = new Map(
    services.map((s) => [str(s?.id) ?? '', { team: num(obj(s?.team)?.number), service: str(s?.name), type: str(s?.type), points: num(s?.points) }]),
  );
  const first = info.values().next().value;
  const lifecycleType = obj(lifecycle.type);
  const type = str(lifecycleType?.shortName) ?? first?.type;
  const outcome = obj(context.outcome);
  const timings = obj(outcome?.timings);
  const outcomes = Array.isArray(outcome?.outcomes)
    ? (outcome.outcomes as unknown[]).map((raw): ServiceOutcomeView => {
        const o = obj(raw) ?? {};
        const s = info.get(str(o.serviceId) ?? '');
        return {
          team: s?.team ?? 0,
          service: s?.service ?? '',
          score: num(o.score) ?? 0,
          points: s?.points,
          error: str(o.error) ?? null,
          timedOut: o.timedOut === true,
        };
      })
    : undefined;
  const resolvedType = str(context.resolvedType) ?? str(outcome?.resolvedType);
  const startedAt = num(context.startedAt);
  // Check actors record when postCheck began; other states are timed by the hub.
  const enteredAt = state === 'postCheck' ? num(context.postCheckAt) : undefined;
  const timeoutMs = num(lifecycle.timeoutMs);
  const graceMs = num(lifecycle.postCheckGraceMs) ?? (timeoutMs !== undefined ? Math.min(1000, timeoutMs) : undefined);
  return {
    kind: mass ? 'mass' : 'check',
    label: mass ? `mass/${first?.service ?? type ?? '?'}` : (first?.service ?? '?'),
    ...(!mass && first?.team !== undefined ? { team: first.team } : {}),
    ...(first?.service !== undefined ? { service: first.service } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(resolvedType !== undefined ? { resolvedType } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(enteredAt !== undefined ? { enteredAt } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(graceMs !== undefined ? { postCheckGraceMs: graceMs } : {}),
    ...(timings ? { timings: Object.fromEntries(HOOKS.flatMap((h) => (num(timings[h]) !== undefined ? [[h, num(timings[h])]] : []))) } : {}),
    ...(outcomes ? { outcomes } : {}),
  };
}
