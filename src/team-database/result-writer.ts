/**
 * Writes one team's finished checks: endCheck and the store write (endChecksAndWrite),
 * one batch at a time. A batch goes when it is full or when the last result is in;
 * a smaller one waits one event-loop turn so results that end together share a write.
 * A write that fails keeps its results as unsaved (nothing is lost) and says why.
 */
import { errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckResult, ScanRecord } from '../types.js';
import type { FinishedCheck } from './check-group.js';
import { endChecksAndWrite } from './end-checks.js';

/** Results written in one batch at most. */
export const WRITE_BATCH = 500;

/** What a writer needs. */
export interface ResultWriterOptions {
  readonly store: Store;
  readonly scan: ScanRecord;
  readonly teamInfo: (team: number, key: string) => string | undefined;
  /** Checks that already failed (before they could run): written first. */
  readonly initial: readonly FinishedCheck[];
  /** How many more results will be added before the writer is done. */
  readonly expected: number;
  /** Told after each batch's write was attempted (written or not). */
  readonly onWritten: (results: readonly CheckResult[]) => void;
  /** Told once, when every result has been written or kept as unsaved. */
  readonly onDone: (storeIssues: readonly string[], unsaved: readonly CheckResult[]) => void;
}

/** Writes a team's results in batches (see above). */
export class ResultWriter {
  private pending: FinishedCheck[];
  private outstanding: number;
  private writing = false;
  private scheduled = false;
  private stopped = false;
  private readonly storeIssues: string[] = [];
  private readonly unsaved: CheckResult[] = [];

  constructor(private readonly options: ResultWriterOptions) {
    this.pending = [...options.initial];
    this.outstanding = options.expected;
  }

  /** Whether the writer is done (or stopped): it writes and tells nothing more. */
  get done(): boolean {
    return this.stopped;
  }

  /** Adds finished checks; they are written with the next batch. */
  add(finished: readonly FinishedCheck[]): void {
    this.outstanding -= finished.length;
    for (const f of finished) this.pending.push(f);
    this.write();
  }

  /** Writes what is pending: at once when a batch is full or the last result is in, else next turn. */
  write(): void {
    if (this.writing || this.pending.length === 0 || this.stopped) return this.finishIfDone();
    if (this.pending.length < WRITE_BATCH && this.outstanding > 0) {
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (!this.writing && this.pending.length > 0 && !this.stopped) this.flush();
        });
      }
      return;
    }
    this.flush();
  }

  /** Writes nothing more (the team was stopped); a write under way ends unheard. */
  stop(): void {
    this.stopped = true;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.writing = true;
    const { store, teamInfo, scan } = this.options;
    endChecksAndWrite(batch, store, teamInfo, scan).then(
      (results) => this.written(results),
      (err: unknown) => {
        const results = batch.map((f) => f.result);
        this.storeIssues.push(`could not write ${batch.length} results: ${errorMessage(err)}`);
        for (const r of results) this.unsaved.push(r);
        this.written(results);
      },
    );
  }

  private written(results: readonly CheckResult[]): void {
    this.writing = false;
    if (this.stopped) return;
    this.options.onWritten(results);
    this.write();
  }

  private finishIfDone(): void {
    if (this.stopped || this.writing || this.pending.length > 0 || this.outstanding > 0) return;
    this.stopped = true;
    this.options.onDone(this.storeIssues, this.unsaved);
  }
}
