/**
 * Sanitizers for third-party inspectors such as `@statelyai/inspect`: our actors'
 * contexts, snapshots and events carry the competition, the services and their
 * credentials (a check's `lifecycle`, a scan's plan, an invoked actor's input and
 * output), and a third-party inspector sends whatever it is given off the machine.
 *
 *   createInspector(adapter, { serialize: sanitizeInspection })
 *
 * keeps of each inspection event its kind and ids, of a snapshot its status, value and
 * the top-level strings, numbers and booleans of its context, and of an event the same
 * of its fields (its `type`, counts, ids). The self-hosted inspector does not need this:
 * it copies named fields only (describe-snapshot.ts).
 */

/** The top-level string, number and boolean fields of `value` (an empty object for anything else). */
export function primitiveFields<T extends object>(value: T): T {
  const kept: Record<string, unknown> = {};
  if (value === null || typeof value !== 'object') return kept as T;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') kept[key] = field;
  }
  return kept as T;
}

/**
 * An inspection event (XState's, or `@statelyai/inspect`'s, which add ids and dates) with
 * its snapshot and event reduced to what holds no secret (see the module comment).
 */
export function sanitizeInspection<E extends object>(event: E): E {
  const { snapshot, event: received, ...rest } = event as { snapshot?: unknown; event?: unknown } & Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (snapshot !== null && typeof snapshot === 'object') {
    const s = snapshot as { status?: unknown; value?: unknown; context?: unknown };
    out.snapshot = {
      status: s.status,
      ...(s.value !== undefined ? { value: s.value } : {}),
      context: s.context !== null && typeof s.context === 'object' ? primitiveFields(s.context) : {},
    };
  }
  if (received !== null && typeof received === 'object') out.event = primitiveFields(received);
  return out as E;
}
