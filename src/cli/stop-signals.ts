/**
 * The signals that ask a long-running command to stop. SIGHUP is among them because a
 * closed terminal or a dropped SSH session sends it, and its default action would end
 * the process in the middle of a round.
 */

/** SIGINT (Ctrl-C), SIGTERM and SIGHUP. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
