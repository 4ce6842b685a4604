/** How scans run, from the `scan` section of a competition file (in milliseconds). */
export interface ScanSettings {
  /** Time between the starts of two scans. Default 60,000. */
  readonly intervalMs: number;
  /** Each start is delayed by a random 0..jitterMs; always less than intervalMs. Default 0. */
  readonly jitterMs: number;
  /** Deadline of a check whose service sets none; at most intervalMs. Default 10,000. */
  readonly timeoutMs: number;
  /** Most checks running at once; `auto` (default): what the host can hold open. */
  readonly concurrency: number | 'auto';
  /** Check threads (the engine's `checkThreads`). Default 0: none. */
  readonly threads: number;
  /** Checks run on scanners through the queue (docs/scale-out.md). Default false. */
  readonly distributed: boolean;
}
