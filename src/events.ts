/**
 * The events an engine publishes on `events$` while a scan runs. Plain, sanitized data:
 * no passwords, no database handles.
 */
import type { Phase } from './lifecycle/run-lifecycle.js';
import type { CheckResult, ScanSummary } from './types.js';

/** Everything `events$` carries. */
export type EngineEvent =
  | { type: 'scan.started'; scanId: string; round: number; competition: string; checks: number; at: number }
  | { type: 'check.started'; checkId: string; serviceId: string; team: number; service: string; checkType: string; at: number }
  | { type: 'check.state'; serviceIds: readonly string[]; state: Phase; at: number }
  | { type: 'check.result'; result: CheckResult }
  | { type: 'scan.ended'; summary: ScanSummary };
