/** Scan ids are the decimal text of the scans.id bigserial. */
import { StoreError } from '../errors.js';

/** Validates a scan id before it reaches SQL. */
export function scanIdParam(scanId: string): string {
  if (!/^\d{1,18}$/.test(scanId)) throw new StoreError(`scan id '${scanId}' is not one this store issued`);
  return scanId;
}
