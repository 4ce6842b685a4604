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

/** A state value as text: `checking`, `running`, or `a(b.c, d.e)` for parallel regions. */
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

const KIND_BY_MACHINE: Readonly<Record<string, ActorKind>> = { scan: 'scan', team: 'team', serviceCheck: 'check', massCheck: 'mass' };

/**
 * The kind of one of our machines' snapshots from its machine id alone (undefined for
 * any other actor): what naming an actor needs, without building its facts.
 */
export function snapshotKind(snapshot: unknown): ActorKind | undefined {
  const id = (snapshot as { machine?: { id?: unknown } } | null | undefined)?.machine?.id;
  return typeof id === 'string' ? KIND_BY_MACHINE[id] : undefined;
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
      return Object.assign(checkFacts(context, machineId === 'massCheck', base.state), base);
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
    counts: teamCounts(context),
  };
}

/**
 * A team's counts: those its checks runner keeps for every written result
 * (`liveCounts`, src/scan/live-counts.ts), or the chart's own when they count more (a
 * team whose checks could not be recorded as started counts them in its chart only).
 */
function teamCounts(context: Obj): { checks: number; up: number; down: number } {
  const live = obj(obj(context.liveCounts)?.current);
  const checks = num(context.checks) ?? 0;
  const liveChecks = num(live?.checks);
  if (live && liveChecks !== undefined && liveChecks >= checks) return { checks: liveChecks, up: num(live.up) ?? 0, down: num(live.down) ?? 0 };
  return { checks, up: num(context.up) ?? 0, down: num(context.down) ?? 0 };
}

/** A team snapshot's counts now (the inspection hub re-reads them every display frame); undefined for other snapshots. */
export function liveTeamCounts(snapshot: unknown): { checks: number; up: number; down: number } | undefined {
  if (snapshotKind(snapshot) !== 'team') return undefined;
  return teamCounts(obj(obj(snapshot)?.context) ?? {});
}

/** What the inspector shows of a check's service. */
interface ServiceInfo {
  readonly id: string;
  readonly team: number | undefined;
  readonly service: string | undefined;
  readonly type: string | undefined;
  readonly points: number | undefined;
}

/** Only these fields of a service are read: never username, password or params. */
function serviceInfo(raw: unknown): ServiceInfo {
  const s = obj(raw);
  if (!s) return { id: '', team: undefined, service: undefined, type: undefined, points: undefined };
  const team = obj(s.team);
  return { id: str(s.id) ?? '', team: team && num(team.number), service: str(s.name), type: str(s.type), points: num(s.points) };
}

function checkFacts(context: Obj, mass: boolean, state: string): Omit<SnapshotFacts, 'state' | 'status'> {
  const lifecycle = obj(context.lifecycle) ?? {};
  const services = Array.isArray(lifecycle.services) ? (lifecycle.services as unknown[]) : [];
  // A standard check has one service: no map() and its closure per view (the hub builds
  // one view per check actor per flush).
  const info = services.length === 1 ? [serviceInfo(services[0])] : services.map(serviceInfo);
  const first = info[0];
  const type = str(obj(lifecycle.type)?.shortName) ?? first?.type;
  const outcome = obj(context.outcome);
  const timings = obj(outcome?.timings);
  const resolvedType = str(context.resolvedType) ?? str(outcome?.resolvedType);
  const startedAt = num(context.startedAt);
  // Check actors record when postCheck began; other states are timed by the hub.
  const enteredAt = state === 'postCheck' ? num(context.postCheckAt) : undefined;
  const timeoutMs = num(lifecycle.timeoutMs);
  const graceMs = num(lifecycle.postCheckGraceMs) ?? (timeoutMs !== undefined ? Math.min(1000, timeoutMs) : undefined);
  // Built by assignment, not conditional spreads: one view per check actor per flush.
  const facts: { -readonly [K in keyof SnapshotFacts]?: SnapshotFacts[K] } = {
    kind: mass ? 'mass' : 'check',
    label: mass ? `mass/${first?.service ?? type ?? '?'}` : (first?.service ?? '?'),
  };
  if (!mass && first?.team !== undefined) facts.team = first.team;
  if (first?.service !== undefined) facts.service = first.service;
  if (type !== undefined) facts.type = type;
  if (resolvedType !== undefined) facts.resolvedType = resolvedType;
  if (startedAt !== undefined) facts.startedAt = startedAt;
  if (enteredAt !== undefined) facts.enteredAt = enteredAt;
  if (timeoutMs !== undefined) facts.timeoutMs = timeoutMs;
  if (graceMs !== undefined) facts.postCheckGraceMs = graceMs;
  if (timings) {
    const kept: HookTimings = {};
    for (const h of HOOKS) {
      const ms = num(timings[h]);
      if (ms !== undefined) kept[h] = ms;
    }
    facts.timings = kept;
  }
  if (Array.isArray(outcome?.outcomes)) {
    const byId = info.length > 1 ? new Map(info.map((i) => [i.id, i])) : undefined;
    facts.outcomes = (outcome.outcomes as unknown[]).map((raw): ServiceOutcomeView => {
      const o = obj(raw) ?? {};
      const id = str(o.serviceId) ?? '';
      const s = byId ? byId.get(id) : info[0]?.id === id ? info[0] : undefined;
      return {
        team: s?.team ?? 0,
        service: s?.service ?? '',
        score: num(o.score) ?? 0,
        points: s?.points,
        error: str(o.error) ?? null,
        timedOut: o.timedOut === true,
      };
    });
  }
  return facts as Omit<SnapshotFacts, 'state' | 'status'>;
}
