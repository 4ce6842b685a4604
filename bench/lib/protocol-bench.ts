/**
 * What the protocol benchmark needs from each built-in check type: a real daemon to
 * start (in the benchmark's parent process, so its CPU is never the scanner's), the
 * service the engine checks, and the same steps done with the bare client library.
 */

/** Where the daemon listens and how to log in: plain data, handed to child processes. */
export interface ProtocolTarget {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** The check's params (the engine side). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Anything else the bare side needs (a path, a query...). */
  readonly extra?: Readonly<Record<string, string | number>>;
}

/** A started daemon. */
export interface RunningDaemon {
  readonly target: ProtocolTarget;
  stop(): Promise<void>;
}

/** One check type of the protocol benchmark. */
export interface ProtocolBench {
  /** The check type's short name. */
  readonly type: string;
  /** What the check and the bare loop do, for the table ("password login"). */
  readonly steps: string;
  /** Checks per round (fast protocols get more, so a round is long enough to measure). */
  readonly checks: number;
  /** Executables the daemon needs; a missing one skips the type with one line. */
  readonly requires: readonly string[];
  /** Starts the daemon (parent process). */
  start(): Promise<RunningDaemon>;
  /**
   * One bare check: the same connection, login and command as the check, with the same
   * client library and nothing else. Resolves true when the service answered as expected.
   */
  bare(target: ProtocolTarget, signal: AbortSignal): Promise<boolean>;
}
