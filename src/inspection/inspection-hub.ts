/**
 * The inspection hub: turns XState v5 inspection events of every scan into the compact,
 * sanitized stream of hub-messages.ts, as an rxjs Observable. It attaches to the scans'
 * actor systems (`system.inspect`) only while someone subscribes (a page, a recorder),
 * and detaches when the last one leaves, so an unwatched engine pays nothing.
 *
 * Updates of one actor within one turn of the event loop are folded into one message
 * (flushed on setImmediate): an inspection event only records the raw snapshot or the
 * event type; the sanitized view, and when its state began, are worked out once per flush
 * (a check goes through several snapshots, often in one turn: docs/benchmarks.md, "What
 * changed after the first measurement, and why"). So a state's start is the flush that
 * first saw it, at most one turn late, except where the actor records it itself (a
 * check's postCheck). Recent messages are kept so a client can resume after a reconnect
 * (`since(seq)`); older ones are only reachable through `snapshot()`.
 *
 * A running team's counts change without a snapshot of its own (its checks runner keeps
 * them for every written result: src/scan/live-counts.ts): every display frame
 * (`countsFrameMs`) the hub re-reads them for the teams still running, and sends a
 * team's view again when they changed.
 */
import { Observable, Subject, type Subscription } from 'rxjs';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { Engine, ScanHandle } from '../engine.js';
import { describeSnapshot, liveTeamCounts, snapshotKind, type SnapshotFacts } from './describe-snapshot.js';
import type { ActorView, HubMessage, HubSnapshot, NextRound, ScannerHealth } from './hub-messages.js';
import { CHECK_STATES } from '../lifecycle/states.js';
import { DEFAULT_STUCK_GRACE_MS, stuckChecks, type StuckCheck } from './stuck-checks.js';

/** Options of an inspection hub. */
export interface InspectionHubOptions {
  /** Clock of time-in-state and stuck detection. Default Date.now. */
  readonly now?: () => number;
  /** Grace after a check's deadline before it counts as stuck. Default 2,000 ms. */
  readonly stuckGraceMs?: number;
  /** Event types kept per actor. Default 12. */
  readonly recentEvents?: number;
  /** Messages kept for resuming clients: at least this many (a quarter more before trimming). Default 20,000. */
  readonly bufferSize?: number;
  /** Interval of `tick` messages while watched (clients re-sync their clock). Default 1,000 ms; 0 for none. */
  readonly tickMs?: number;
  /** How often running teams' counts are re-read while watched (a display frame). Default 100 ms. */
  readonly countsFrameMs?: number;
  /** Scans kept in the views after they end (older ones are removed). Default 2. */
  readonly keepScans?: number;
  /**
   * How long the hub stays attached after the last subscriber leaves, so a client that
   * reconnects (a page reload, a network blip) resumes instead of starting over.
   * Default 10,000 ms; 0 detaches at once.
   */
  readonly lingerMs?: number;
}

/** The engine parts a hub needs. */
export type InspectableEngine = Pick<Engine, 'scans$' | 'runningScans'>;

interface ScanEntry {
  readonly key: string;
  inspection: { unsubscribe(): void } | undefined;
}

/**
 * What the hub keeps of one of our actors: one record, found with one map lookup per
 * inspection event (a check actor has about a dozen).
 */
interface ActorRecord {
  /** The view id (`scan-1/team-3/web`). */
  readonly id: string;
  /** The parent's view id (`scan-1/team-3`), null for a scan: worked out once, not per flush. */
  readonly parent: string | null;
  /** Latest raw snapshot, not yet folded into the view. */
  latest: unknown;
  /** Recent event types (also those that reach an actor before its first snapshot). */
  readonly recent: string[];
  /** The view as last built. */
  view: ActorView | undefined;
  /** States entered so far and when (see ActorView.phases), oldest first. */
  readonly phases: [string, number][];
  /** `phases` as last copied into a view; undefined once a state was added since. */
  phasesShown: readonly (readonly [string, number])[] | undefined;
  /** Queued for the next flush. */
  dirty: boolean;
  /** A running team's last snapshot: its counts are re-read from it every frame. */
  team?: unknown;
}

/** What the hub made for one scan: removed together when the scan is dropped. */
interface ScanMembers {
  /** sessionIds seen in the scan (each once). */
  readonly sessions: string[];
  /** Records made for the scan's actors (each once). */
  readonly records: ActorRecord[];
}

/** See the module comment. */
export class InspectionHub {
  /** The stream; subscribing attaches the hub to the engine's scans. */
  readonly messages$: Observable<HubMessage>;
  readonly stuckGraceMs: number;
  readonly now: () => number;
  private readonly subject = new Subject<HubMessage>();
  /** View id → the actor's record. */
  private readonly records = new Map<string, ActorRecord>();
  /** sessionId → the actor's record (null for actors that are not ours). */
  private readonly sessions = new Map<string, ActorRecord | null>();
  /** scanKey → the sessions seen and the records made in that scan (forgotten with the scan). */
  private readonly scanMembers = new Map<string, ScanMembers>();
  private readonly scanKeys = new WeakMap<object, ScanEntry>();
  private readonly scanOrder: string[] = [];
  private readonly buffer: HubMessage[] = [];
  /** Records whose view must be rebuilt and sent at the next flush. */
  private dirty: ActorRecord[] = [];
  private flushScheduled = false;
  private seq = 0;
  private scanCount = 0;
  private watchers = 0;
  private scansSub: Subscription | undefined;
  private readonly attached = new Set<ScanEntry>();
  private ticker: NodeJS.Timeout | undefined;
  /** Re-reads running teams' counts every countsFrameMs while attached. */
  private frames: NodeJS.Timeout | undefined;
  /** Records of teams still running (see `team` in ActorRecord). */
  private readonly runningTeams = new Set<ActorRecord>();
  private lingering: NodeJS.Timeout | undefined;
  private isAttached = false;
  private nextRound: NextRound | undefined;
  private health: ScannerHealth | undefined;

  constructor(
    private readonly engine: InspectableEngine,
    private readonly options: InspectionHubOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.stuckGraceMs = options.stuckGraceMs ?? DEFAULT_STUCK_GRACE_MS;
    this.messages$ = new Observable<HubMessage>((subscriber) => {
      const sub = this.subject.subscribe(subscriber);
      this.addWatcher();
      return () => {
        sub.unsubscribe();
        this.removeWatcher();
      };
    });
  }

  /** How many subscribers there are. */
  get watching(): number {
    return this.watchers;
  }

  /** Whether the hub is attached to the engine (subscribers, or lingering after the last). */
  get attachedToEngine(): boolean {
    return this.isAttached;
  }

  /** Current views; when nobody watches, read from the running scans' snapshots. */
  snapshot(): HubSnapshot {
    if (!this.isAttached) {
      this.forget();
      for (const handle of this.engine.runningScans()) this.seed(handle);
      this.fold(false);
      const actors = this.views();
      // Nothing is kept while unwatched.
      this.forget();
      return this.snapshotOf(actors);
    }
    this.fold(true);
    return this.snapshotOf(this.views());
  }

  private snapshotOf(actors: ActorView[]): HubSnapshot {
    const snapshot = { seq: this.seq, now: this.now(), stuckGraceMs: this.stuckGraceMs, actors };
    return { ...snapshot, ...(this.nextRound ? { nextRound: this.nextRound } : {}), ...(this.health ? { health: this.health } : {}) };
  }

  /**
   * Says when the next round starts (the loop running rounds calls it between rounds), or
   * undefined once a round runs: in snapshots and as a `schedule` message.
   */
  setNextRound(next: NextRound | undefined): void {
    this.nextRound = next;
    this.emit({ seq: 0, at: this.now(), kind: 'schedule', nextRound: next ?? null });
  }

  /**
   * Says how the scanner itself is doing (the loop running rounds calls it: a plan that
   * may not fit before the first round, each round's event-loop lag after it): merged into
   * what was said before, in snapshots and as a `health` message.
   */
  setHealth(health: ScannerHealth): void {
    this.health = { ...this.health, ...health };
    this.emit({ seq: 0, at: this.now(), kind: 'health', health: this.health });
  }

  /** Every actor's current view. */
  private views(): ActorView[] {
    const views: ActorView[] = [];
    for (const record of this.records.values()) if (record.view) views.push(record.view);
    return views;
  }

  /** Messages after `seq`, or undefined when they are no longer kept (send a snapshot). */
  since(seq: number): HubMessage[] | undefined {
    if (!this.isAttached) return undefined;
    if (seq === this.seq) return [];
    if (seq > this.seq || this.buffer.length === 0) return undefined;
    const first = this.buffer[0]!.seq;
    if (seq < first - 1) return undefined;
    return this.buffer.slice(seq - first + 1);
  }

  /** Stuck checks now (see stuck-checks.ts). */
  stuck(): StuckCheck[] {
    return stuckChecks(this.snapshot().actors, this.now(), this.stuckGraceMs);
  }

  private addWatcher(): void {
    this.watchers++;
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.isAttached) return;
    this.isAttached = true;
    this.forget();
    this.scansSub = this.engine.scans$.subscribe((handle) => this.attach(handle));
    for (const handle of this.engine.runningScans()) this.attach(handle);
    const tickMs = this.options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.ticker = setInterval(() => this.subject.next({ seq: this.seq, at: this.now(), kind: 'tick' }), tickMs);
      this.ticker.unref();
    }
    this.frames = setInterval(() => this.refreshTeamCounts(), this.options.countsFrameMs ?? 100);
    this.frames.unref();
  }

  /** Sends the views of running teams whose counts changed since their view was built. */
  private refreshTeamCounts(): void {
    for (const record of this.runningTeams) {
      const counts = liveTeamCounts(record.team);
      const shown = record.view?.counts;
      if (!counts || !shown || record.dirty) continue;
      if (counts.checks !== shown.checks || counts.up !== shown.up || counts.down !== shown.down) {
        this.noteSnapshot(record, record.team);
        this.scheduleFlush();
      }
    }
  }

  private removeWatcher(): void {
    if (--this.watchers > 0) return;
    const linger = this.options.lingerMs ?? 10_000;
    if (linger <= 0) return this.detach();
    this.lingering = setTimeout(() => this.detach(), linger);
    this.lingering.unref();
  }

  /** Detaches from every scan and forgets the views (nobody watches). */
  private detach(): void {
    this.lingering = undefined;
    if (this.watchers > 0 || !this.isAttached) return;
    this.isAttached = false;
    this.scansSub?.unsubscribe();
    this.scansSub = undefined;
    for (const entry of this.attached) {
      entry.inspection?.unsubscribe();
      entry.inspection = undefined;
    }
    this.attached.clear();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.frames) clearInterval(this.frames);
    this.frames = undefined;
    this.forget();
    this.scanOrder.length = 0;
    this.buffer.length = 0;
  }

  /** Drops every view and what was recorded for them. */
  private forget(): void {
    this.records.clear();
    this.sessions.clear();
    this.scanMembers.clear();
    for (const record of this.dirty) record.dirty = false;
    this.dirty = [];
    this.runningTeams.clear();
  }

  private entryOf(handle: ScanHandle): ScanEntry {
    let entry = this.scanKeys.get(handle.actor);
    if (!entry) {
      entry = { key: `scan-${++this.scanCount}`, inspection: undefined };
      this.scanKeys.set(handle.actor, entry);
    }
    return entry;
  }

  private attach(handle: ScanHandle): void {
    const entry = this.entryOf(handle);
    if (entry.inspection) return;
    this.scanOrder.push(entry.key);
    this.seed(handle);
    this.scheduleFlush();
    entry.inspection = handle.actor.system.inspect((event) => this.onInspection(entry.key, handle, event));
    this.attached.add(entry);
    const detach = () => {
      // Let the final snapshots through first.
      setImmediate(() => {
        entry.inspection?.unsubscribe();
        entry.inspection = undefined;
        this.attached.delete(entry);
        this.dropOldScans();
      });
    };
    handle.summary.then(detach, detach);
  }

  /** Removes the views of scans beyond `keepScans` that have ended. */
  private dropOldScans(): void {
    const keep = this.options.keepScans ?? 2;
    while (this.scanOrder.length > keep) {
      const key = this.scanOrder[0]!;
      const scan = this.records.get(key)?.view;
      if (scan && scan.status === 'active') return;
      this.scanOrder.shift();
      // Only this scan's own records and sessions: not a pass over every kept scan's.
      const members = this.scanMembers.get(key);
      for (const record of members?.records ?? []) {
        this.records.delete(record.id);
        this.runningTeams.delete(record);
        // Still queued: not sent after its removal.
        record.dirty = false;
      }
      for (const session of members?.sessions ?? []) this.sessions.delete(session);
      this.scanMembers.delete(key);
      this.emit({ seq: 0, at: this.now(), kind: 'removed', id: key });
    }
  }

  /** Records a scan's current actor tree (a late attach sees what is already running). */
  private seed(handle: ScanHandle): void {
    const { key } = this.entryOf(handle);
    const visit = (ref: AnyActorRef) => {
      let snapshot: unknown;
      try {
        snapshot = ref.getSnapshot();
      } catch {
        return;
      }
      const record = this.recordOf(key, ref, snapshot);
      if (record) this.noteSnapshot(record, snapshot);
      const { children = {}, context } = snapshot as { children?: Record<string, AnyActorRef>; context?: { teamActors?: unknown; checkActors?: unknown } };
      for (const child of Object.values(children)) visit(child);
      // The scan keeps its team actors, and teams their check actors, out of `children`
      // (see scanMachine.ts, teamMachine.ts).
      for (const kept of [context?.teamActors, context?.checkActors]) {
        if (kept instanceof Map) for (const actor of kept.values() as Iterable<AnyActorRef>) visit(actor);
      }
    };
    visit(handle.actor);
  }

  /** The record of one of our machines' actors; undefined for the others. */
  private recordOf(scanKey: string, ref: AnyActorRef, snapshot?: unknown): ActorRecord | undefined {
    const known = this.sessions.get(ref.sessionId);
    if (known !== undefined) return known ?? undefined;
    let snap = snapshot;
    try {
      snap ??= ref.getSnapshot();
    } catch {
      return undefined;
    }
    const kind = snapshotKind(snap);
    // Check actors are named by service under their team; their scan-wide name is in context.
    const checkName = (snap as { context?: { actorId?: unknown } } | undefined)?.context?.actorId;
    const name = (kind === 'check' || kind === 'mass') && typeof checkName === 'string' ? checkName : ref.id;
    const id = !kind ? undefined : kind === 'scan' ? scanKey : `${scanKey}/${name}`;
    let members = this.scanMembers.get(scanKey);
    if (!members) this.scanMembers.set(scanKey, (members = { sessions: [], records: [] }));
    let record = id === undefined ? null : this.records.get(id);
    if (record === undefined && id !== undefined) {
      record = { id, parent: kind === 'scan' ? null : parentOf(id), latest: undefined, recent: [], view: undefined, dirty: false, phases: [], phasesShown: undefined };
      this.records.set(id, record);
      members.records.push(record);
    }
    this.sessions.set(ref.sessionId, record ?? null);
    // Each session is recorded once (it is known from here on): a list, not a set.
    members.sessions.push(ref.sessionId);
    return record ?? undefined;
  }

  private onInspection(scanKey: string, _handle: ScanHandle, event: InspectionEvent): void {
    if (event.type === '@xstate.snapshot') {
      const record = this.recordOf(scanKey, event.actorRef as AnyActorRef, event.snapshot);
      if (!record) return;
      this.noteSnapshot(record, event.snapshot);
    } else if (event.type === '@xstate.event') {
      const record = this.recordOf(scanKey, event.actorRef as AnyActorRef);
      if (!record) return;
      const events = record.recent;
      const { type, steps } = event.event as { type: string; steps?: readonly { type: string }[] };
      // Steps that reached a check together (checkWorker.ts) are listed one by one, and
      // each is timed as it arrives: a flush may only see the last of several states.
      if (type === 'check.steps' && steps) {
        const at = this.now();
        for (const s of steps) {
          events.push(s.type);
          notePhase(record, s.type, at);
        }
      } else {
        events.push(type);
        if (type.startsWith('check.')) notePhase(record, type, this.now());
      }
      const keep = this.options.recentEvents ?? 12;
      if (events.length > keep) events.splice(0, events.length - keep);
      // Events (xstate.init, the first phase) can reach an actor before its first snapshot.
      if (record.view !== undefined || record.latest !== undefined) this.markDirty(record);
    } else {
      return;
    }
    this.scheduleFlush();
  }

  /** Keeps the latest snapshot of an actor, described (and its state timed) at the next flush. */
  private noteSnapshot(record: ActorRecord, snapshot: unknown): void {
    record.latest = snapshot;
    if (snapshotKind(snapshot) === 'team') {
      const active = (snapshot as { status?: unknown }).status === 'active';
      if (active) {
        record.team = snapshot;
        this.runningTeams.add(record);
      } else {
        record.team = undefined;
        this.runningTeams.delete(record);
      }
    }
    this.markDirty(record);
  }

  private markDirty(record: ActorRecord): void {
    if (record.dirty) return;
    record.dirty = true;
    this.dirty.push(record);
  }

  /** Builds the views of the dirty ids from their latest snapshots and events; sends them when `send`. */
  private fold(send: boolean): void {
    const records = this.dirty;
    this.dirty = [];
    // One clock reading per flush: every view of it is as of now.
    const now = this.now();
    for (const record of records) {
      // Not dirty any more: its scan was removed after it was queued.
      if (!record.dirty) continue;
      record.dirty = false;
      const { id, parent, latest: snapshot, view: prior } = record;
      record.latest = undefined;
      const facts: SnapshotFacts | undefined = snapshot !== undefined ? describeSnapshot(snapshot) : undefined;
      if (!facts && !prior) continue;
      const events = [...record.recent];
      let view: ActorView;
      if (facts) {
        // The facts are fresh for this fold: completed in place into the view (no copy).
        // A state seen for the first time began at this flush (the actor's own time wins).
        view = Object.assign(facts, {
          id,
          parent,
          enteredAt: facts.enteredAt ?? (prior?.state === facts.state ? prior.enteredAt : now),
          startedAt: facts.startedAt ?? prior?.startedAt ?? now,
          events,
        });
      } else {
        view = { ...prior!, events };
      }
      // A check's first state is timed by the check itself (its startedAt).
      if (!prior && (view.kind === 'check' || view.kind === 'mass') && record.phases[0]?.[0] !== 'started') {
        record.phases.unshift(['started', view.startedAt]);
        record.phasesShown = undefined;
      }
      // Other actors' states are timed by the flush that first saw them.
      const last = record.phases[record.phases.length - 1];
      if (last?.[0] !== view.state) addPhase(record, view.state, view.enteredAt);
      record.phasesShown ??= record.phases.slice();
      (view as { phases?: ActorView['phases'] }).phases = record.phasesShown;
      record.view = view;
      if (send) this.emit({ seq: 0, at: now, kind: 'actor', actor: view });
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.fold(true);
    });
  }

  private emit(message: HubMessage): void {
    if (!this.isAttached) return;
    // Messages reach here as fresh literals: numbered in place.
    (message as { seq: number }).seq = ++this.seq;
    this.buffer.push(message);
    // Trimmed in steps of a quarter, not per message (a full buffer would copy it each time).
    const max = this.options.bufferSize ?? 20_000;
    if (this.buffer.length > max + (max >> 2)) this.buffer.splice(0, this.buffer.length - max);
    this.subject.next(message);
  }
}

/** At most this many states are kept per actor (a check goes through six). */
const MAX_PHASES = 16;

/** Records that `record` entered `state` at `at` (the oldest entries go past MAX_PHASES). */
function addPhase(record: ActorRecord, state: string, at: number): void {
  record.phases.push([state, at]);
  if (record.phases.length > MAX_PHASES) record.phases.shift();
  record.phasesShown = undefined;
}

/** A check step (`check.preCheck`) as the state it enters, timed `at`; other events are ignored. */
function notePhase(record: ActorRecord, type: string, at: number): void {
  const state = type.slice('check.'.length);
  if (!(CHECK_STATES as readonly string[]).includes(state)) return;
  const last = record.phases[record.phases.length - 1];
  if (last?.[0] !== state) addPhase(record, state, at);
}

/** `scan-1/team-3/web` → `scan-1/team-3`; `scan-1/mass/dns` → `scan-1/mass`; `scan-1/team-3` → `scan-1`. */
function parentOf(id: string): string {
  const [scan, owner, rest] = id.split('/', 3);
  return rest !== undefined ? `${scan}/${owner}` : scan!;
}
