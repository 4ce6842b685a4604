/**
 * Where distributed checks travel: the PostgreSQL schema pg-boss keeps its tables in
 * (with the scanners registry beside them), and the names of its queues. The schema is
 * not the competition's: a scanner's database role is limited to it (docs/scale-out.md).
 */

/** The schema of the queue (pg-boss's tables and `scanner`). Never the competition's tables. */
export const QUEUE_SCHEMA = 'scorekeeper_queue';

/** Checks of services without a zone: any scanner takes them. */
export const ANY_ZONE_QUEUE = 'sk-checks';

/** Reports from scanners to the coordinator: phases, log lines and outcomes, batched. */
export const REPORTS_QUEUE = 'sk-reports';

/** What a zone name may be (it becomes part of a queue name). */
export const ZONE_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/** The queue of checks of zone `zone` (ANY_ZONE_QUEUE for none). */
export function zoneQueue(zone: string | undefined): string {
  return zone === undefined ? ANY_ZONE_QUEUE : `sk-checks-zone-${zone}`;
}

/** The queues a scanner of `zone` works, its own zone's first. */
export function queuesOfScanner(zone: string | undefined): readonly string[] {
  return zone === undefined ? [ANY_ZONE_QUEUE] : [zoneQueue(zone), ANY_ZONE_QUEUE];
}
