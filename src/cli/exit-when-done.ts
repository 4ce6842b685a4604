/**
 * How the CLI ends a command: once it returned its code, its output is flushed (the
 * loggers, stdout, stderr) and the process exits with that code, even when a plugin's
 * check left a timer or a socket open, which would otherwise keep Node running until it
 * fires or closes. What was still open is named in a warning on stderr.
 */

/** Flushes registered before exit (the CLI's pino loggers). */
const flushes = new Set<() => Promise<void>>();

/** Registers `flush` to run before the CLI exits (a logger's buffered lines). */
export function flushBeforeExit(flush: () => Promise<void>): void {
  flushes.add(flush);
}

/** Resolves once what was written to `stream` so far has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

/**
 * The resources that would keep the process alive, by kind (`Timeout ×2`). The stdio
 * handles themselves and file requests that are flushing do not count.
 */
export function openResources(): string[] {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TTYWrap' || kind === 'PipeWrap' || kind === 'FSReqCallback' || kind === 'CloseReq') continue;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => (n === 1 ? kind : `${kind} ×${n}`));
}

/** Flushes the output, warns about what was left open, and exits with `code`. */
export async function exitWhenDone(code: number): Promise<never> {
  await Promise.all([...flushes].map((flush) => flush().catch(() => undefined)));
  // Sockets the store closed a moment ago are still shutting down: let them finish, so
  // the warning names only what nobody closed.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const open = openResources();
  if (open.length > 0) {
    process.stderr.write(
      `scorekeeper: warning: the command finished with ${open.join(', ')} still open (most likely left by a check's plugin: a timer not cleared, a socket not closed); exiting anyway\n`,
    );
  }
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
