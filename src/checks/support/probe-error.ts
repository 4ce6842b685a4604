/**
 * The check's error from a probe that throws when its step fails (dns, icmp, ntp, rdp,
 * tcp, telnet, vnc): runs it under a fresh probe deadline (src/probes/tcp-deadline.ts),
 * disposed when it settles.
 */
import { errorMessage } from '../../errors.js';
import { startProbeDeadline, type ProbeDeadline } from '../../probes/tcp-deadline.js';
import type { CheckContext } from '../../types.js';

/**
 * Runs `judge` with a probe deadline and returns its error (null when the service is up),
 * or the message of what it threw. When the check itself was stopped or passed its
 * deadline, rethrows instead: the engine reports that.
 */
export async function probeError(ctx: Pick<CheckContext, 'signal' | 'deadline'>, judge: (deadline: ProbeDeadline) => Promise<string | null>): Promise<string | null> {
  const deadline = startProbeDeadline(ctx);
  try {
    return await judge(deadline);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return errorMessage(err);
  } finally {
    deadline.dispose();
  }
}
