/**
 * The sanitized inspection stream: what the inspection hub publishes, the web server
 * sends over SSE and the recorder writes as JSON lines. Only whitelisted fields are ever
 * copied into these objects: no passwords, credentials, secret params or tokens.
 */
import type { LoopLag } from '../scheduling/loop-lag.js';
import type { HookTimings } from '../types.js';

/** What kind of actor a view describes. */
export type ActorKind = 'scan' | 'team' | 'check' | 'mass';

/** Outcome of one service of an ended check. */
export interface ServiceOutcomeView {
  readonly team: number;
  readonly service: string;
  readonly score: number;
  readonly points: number | undefined;
  readonly error: string | null;
  readonly timedOut: boolean;
}

/** One actor as the inspector shows it. */
export interface ActorView {
  /** Stable id within the stream: `<scanKey>` or `<scanKey>/<xstate actor id>`. */
  readonly id: string;
  /** Id of the parent view, null for a scan. */
  readonly parent: string | null;
  readonly kind: ActorKind;
  /** Label: `round 3`, `Team3`, `web`, `mass/dns`. */
  readonly label: string;
  /** Team number (team and service-check actors). */
  readonly team?: number;
  /** Service name (check actors). */
  readonly service?: string;
  /** Configured check type short name (check actors). */
  readonly type?: string;
  /** Type that actually ran (multi-protocol checks), once resolved. */
  readonly resolvedType?: string;
  /** Current state (a dotted path for parallel states). */
  readonly state: string;
  /** Epoch ms at which `state` was entered. */
  readonly enteredAt: number;
  /** Epoch ms at which the actor started. */
  readonly startedAt: number;
  /** xstate status: active, done, error or stopped. */
  readonly status: string;
  /** Deadline of the check in ms (check actors). */
  readonly timeoutMs?: number;
  /** Extra time postCheck gets from its start (check actors). */
  readonly postCheckGraceMs?: number;
  /**
   * States entered and when (epoch ms), oldest first: `[['resolving', t1], ['preCheck',
   * t2], …]` (a check's `started` is `startedAt`). A check's are timed as its steps
   * arrive, other actors' by the flush that first saw the state. At most 16; a watcher
   * that arrives mid-scan sees them from the state the actor was in then.
   */
  readonly phases?: readonly (readonly [string, number])[];
  /** Most recent event types received, oldest first (never payloads). */
  readonly events: readonly string[];
  /** Milliseconds per lifecycle hook, once the check ended. */
  readonly timings?: HookTimings;
  /** Per-service outcome, once the check ended. */
  readonly outcomes?: readonly ServiceOutcomeView[];
  /** Scan actors: round and competition once known. */
  readonly round?: number;
  readonly competition?: string;
  /** Team and scan actors: checks done / up / down so far. */
  readonly counts?: { readonly checks: number; readonly up: number; readonly down: number };
}

/** When the next round starts, as the loop running rounds (`run`, `serve`) scheduled it. */
export interface NextRound {
  /** Epoch ms. */
  readonly at: number;
  /** Its round number, when known (not after a round that could not start). */
  readonly round?: number;
}

/** What the scanner says about itself, shown above the tree: its own overload and plan. */
export interface ScannerHealth {
  /** A round of this competition may not fit its interval (src/planning/round-fit.ts). */
  readonly fitWarning?: string;
  /** The engine thread's event-loop lag in the last round, with its overload re-runs. */
  readonly lastRound?: { readonly round: number; readonly loopLag: LoopLag; readonly rerun: number; readonly overloaded: number };
}

/** One message of the stream; `seq` increases by one per message of a hub. */
export type HubMessage =
  | { readonly seq: number; readonly at: number; readonly kind: 'actor'; readonly actor: ActorView }
  | { readonly seq: number; readonly at: number; readonly kind: 'removed'; readonly id: string }
  /** The next round's start was scheduled (between rounds), or null: a round runs, or none is coming. */
  | { readonly seq: number; readonly at: number; readonly kind: 'schedule'; readonly nextRound: NextRound | null }
  /** The scanner's health changed (a plan warning, the last round's event-loop lag). */
  | { readonly seq: number; readonly at: number; readonly kind: 'health'; readonly health: ScannerHealth }
  | { readonly seq: number; readonly at: number; readonly kind: 'tick' };

/** Everything a late joiner needs: the current views and where the stream stands. */
export interface HubSnapshot {
  /** Seq of the last message folded into `actors` (resume the stream after it). */
  readonly seq: number;
  /** The hub's clock when the snapshot was taken (epoch ms). */
  readonly now: number;
  /** Grace after a deadline before a check counts as stuck, ms. */
  readonly stuckGraceMs: number;
  readonly actors: readonly ActorView[];
  /** Between rounds: when the next one starts (absent while a round runs, or with no loop). */
  readonly nextRound?: NextRound;
  /** The scanner's own health, when the loop running rounds has said anything. */
  readonly health?: ScannerHealth;
}
