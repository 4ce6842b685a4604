/**
 * What the scan and team actors are given: the engine's services, shared by every actor
 * of a scan, with no per-check state.
 */
import type { Logger } from 'pino';
import type { CheckLogSink } from '../check-session.js';
import type { CredentialData } from '../credentials.js';
import type { EventSink } from '../events.js';
import type { CheckHookHost } from '../lifecycle/check-worker.js';
import type { ServiceRegistry } from '../registry.js';
import type { Limiter } from '../scheduling/limiter.js';
import type { LoopLag } from '../scheduling/loop-lag.js';
import type { Store } from '../store/store.js';

/** What every actor of a scan shares, scan and teams alike. */
export interface SharedDeps extends EventSink {
  readonly store: Store;
  readonly registry: ServiceRegistry;
  readonly limiter: Limiter;
  readonly random: () => number;
  readonly now: () => number;
  /** Aborts every check of the scan. */
  readonly signal?: AbortSignal;
  readonly postCheckGraceMs?: number;
  /** Where checks' hooks run when the engine has check threads. */
  readonly threads?: CheckHookHost;
}

/** What the engine gives a scan actor. */
export interface ScanDeps extends SharedDeps {
  readonly logger: Logger;
  /** Resolves when plugins are loaded and the store is ready. */
  readonly ready: () => Promise<void>;
  /**
   * How long the round may take, ms (the run loop's interval): a check that failed while
   * the scanner was overloaded runs again only if that fits. Default: twice the
   * longest check timeout of the round.
   */
  readonly roundMs?: number;
  /** The engine thread's event-loop lag so far in this scan (the summary reports it). */
  readonly loopLag?: () => LoopLag;
}

/** Everything a team actor shares with its scan. */
export interface TeamDeps extends SharedDeps {
  readonly logSink: CheckLogSink;
  readonly credentials: CredentialData;
  /**
   * Slots this team takes straight from the limiter (free ones) before it queues for
   * more: the scan's share per team, so every team's first checks start early rather
   * than the first teams taking every slot. Default: no limit.
   */
  readonly fairShare?: number;
  /** How often a team tells its chart its counts while checks run (progressIntervalMs). Default PROGRESS_MS. */
  readonly progressMs?: number;
  /** Epoch ms by which the round should be over: a re-run of an overloaded check must end before it. */
  readonly roundEndsAt: number;
}
