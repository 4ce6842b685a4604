/**
 * Leak detection for checks: what the process holds open (sockets, timers, child
 * processes) before and after a piece of work, via process.getActiveResourcesInfo().
 */

/** Counts of active resources by kind ("TCPSocketWrap", "Timeout", "ProcessWrap"...). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * Waits (up to `withinMs`) until no kind of resource is above its count in `before`;
 * throws listing what is still open. Closing sockets take a tick or two to go away.
 */
export async function expectNoLeakedResources(before: Map<string, number>, withinMs = 2000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const extra = [...activeResources()].filter(([kind, n]) => n > (before.get(kind) ?? 0));
    if (extra.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`resources left open: ${extra.map(([k, n]) => `${k} ×${n - (before.get(k) ?? 0)}`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
