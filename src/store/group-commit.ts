/**
 * Group commit: batches handed in by many team actors while a write is in flight are
 * merged into the next write, so a scan of hundreds of teams makes a few large
 * transactions rather than hundreds of small ones queued behind each other on the
 * connection pool, where the last teams' first checks waited behind the other teams'
 * writes (docs/benchmarks.md, "What changed after the first measurement, and why").
 * Each caller still gets its own answer: when a merged write fails, every batch in it
 * is written again on its own, so one team's bad rows never fail another team's.
 *
 * A caller may abandon its batch (`signal`, e.g. the resilient store giving up on an
 * attempt that did not answer in time, then sending the batch to the recovery file): a
 * batch not yet sent is then dropped, so it cannot commit later behind the caller's back.
 */

/** Writes items in one transaction; rejects if any of them cannot be written. */
export type BatchWrite<T> = (items: readonly T[]) => Promise<void>;

interface Waiting<T> {
  readonly items: readonly T[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

/**
 * Merges concurrent `submit` calls into writes of at most `maxItems`, with at most
 * `lanes` writes in flight: while they are all busy, new batches wait and are merged.
 */
export class GroupCommit<T> {
  private readonly queue: Waiting<T>[] = [];
  private writing = 0;

  constructor(
    private readonly write: BatchWrite<T>,
    private readonly maxItems = 5_000,
    private readonly lanes = 1,
  ) {}

  /**
   * Resolves once `items` are written (merged with whatever else is waiting); rejects
   * with the signal's reason if `signal` aborts before they are sent.
   */
  submit(items: readonly T[], signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      this.queue.push({ items, resolve, reject, signal });
      if (this.writing < this.lanes) void this.drain();
    });
  }

  /** One lane: writes waiting groups until none is left. */
  private async drain(): Promise<void> {
    this.writing++;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        if (group.length > 0) await this.writeGroup(group);
      }
    } finally {
      this.writing--;
    }
  }

  /** The waiting batches that fit one write (at least one, unless all were abandoned). */
  private takeGroup(): Waiting<T>[] {
    const group: Waiting<T>[] = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (abandoned(next)) {
        this.queue.shift();
        continue;
      }
      if (group.length > 0 && size + next.items.length > this.maxItems) break;
      this.queue.shift();
      size += next.items.length;
      group.push(next);
    }
    return group;
  }

  private async writeGroup(group: readonly Waiting<T>[]): Promise<void> {
    if (group.length === 1) {
      const only = group[0]!;
      await this.write(only.items).then(only.resolve, only.reject);
      return;
    }
    try {
      await this.write(group.flatMap((w) => w.items));
      for (const w of group) w.resolve();
    } catch {
      // Someone's rows (or the connection) failed the merged write: each batch on its
      // own, so every caller gets the answer for its own rows.
      for (const w of group) if (!abandoned(w)) await this.write(w.items).then(w.resolve, w.reject);
    }
  }
}

/** Whether the caller gave up on `w` (then rejected with its reason, and not written). */
function abandoned<T>(w: Waiting<T>): boolean {
  if (!w.signal?.aborted) return false;
  w.reject(w.signal.reason);
  return true;
}
