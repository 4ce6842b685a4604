/**
 * The events an engine publishes on `events$` while a scan runs. Plain, sanitized data:
 * no passwords, no database handles.
 */
import type { Phase } from './lifecycle/states.js';
import type { CheckResult, ScanSummary } from './types.js';

/** Everything `events$` carries. */
export type EngineEvent =
  | { type: 'scan.started'; scanId: string; round: number; competition: string; checks: number; at: number }
  | { type: 'check.started'; checkId: string; serviceId: string; team: number; service: string; checkType: string; at: number }
  | { type: 'check.state'; serviceIds: readonly string[]; state: Phase; at: number }
  | { type: 'check.result'; result: CheckResult }
  | { type: 'scan.ended'; summary: ScanSummary };

/** Where a scan's parts publish events, and whether anyone listens now. */
export interface EventSink {
  readonly notify: (event: EngineEvent) => void;
  /** Whether per-check events are wanted now. Default: always. */
  readonly listening?: () => boolean;
}

/**
 * Whether per-check events are wanted now: events nobody listens to are not built (a few
 * objects per check, on the engine's thread). Without `listening`, always.
 */
export function wantsEvents(sink: Pick<EventSink, 'listening'>): boolean {
  return sink.listening?.() ?? true;
}

/** Publishes results on the engine's events (results$), if anyone listens. */
export function publishResults(sink: EventSink, results: readonly CheckResult[]): void {
  if (!wantsEvents(sink)) return;
  for (const result of results) sink.notify({ type: 'check.result', result });
}
