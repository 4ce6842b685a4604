/**
 * The id of a check's job: a UUID (version 5, RFC 9562) derived from the check's ids
 * (`<scanId>:<service id>`, one per service of the check). pg-boss inserts a job id
 * only once, so a job sent again (a retried insert, a restarted sender) is never a
 * second check, and every report names the check it belongs to.
 */
import { createHash } from 'node:crypto';

/** Namespace of scorekeeper's job ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1c2a4e9b7d4e0f8a3b5c6d7e8f9a0b', 'hex');

/** The job id of the check with `checkIds`. */
export function jobIdOf(checkIds: readonly string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(checkIds.join('\n')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
