/**
 * ICMP echo probe: runs the `ping` binary of iputils (it has cap_net_raw; unprivileged
 * ICMP sockets are usually off) and parses its summary. The child is killed when the
 * deadline fires or the check is aborted.
 */
import { execFile } from 'node:child_process';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** Options of one ping run. */
export interface PingOptions {
  readonly count: number;
  /** Seconds to wait for each reply (ping -W). */
  readonly waitSeconds: number;
  /** Seconds between echo requests (ping -i; below 0.2 needs root). */
  readonly intervalSeconds: number;
  /** The ping binary. Default "ping". */
  readonly binary?: string;
}

/** Summary of a ping run. */
export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  /** Average round trip in ms, when any reply came. */
  readonly avgMs?: number;
}

/** Pings `host`; throws a sentence when ping could not run or resolve the host. */
export function ping(host: string, deadline: ProbeDeadline, options: PingOptions): Promise<PingResult> {
  const totalSeconds = Math.max(1, Math.floor(deadline.remainingMs() / 1000));
  const args = ['-n', '-c', String(options.count), '-i', String(options.intervalSeconds), '-W', String(options.waitSeconds), '-w', String(totalSeconds), '--', host];
  return new Promise<PingResult>((resolve, reject) => {
    execFile(options.binary ?? 'ping', args, { signal: deadline.signal, killSignal: 'SIGKILL', timeout: 0, maxBuffer: 256 * 1024 }, (err, stdout, stderr) => {
      const summary = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout);
      if (summary) {
        const avg = /= [\d.]+\/([\d.]+)\//.exec(stdout);
        return resolve({ transmitted: Number(summary[1]), received: Number(summary[2]), ...(avg ? { avgMs: Number(avg[1]) } : {}) });
      }
      if (deadline.signal.aborted) {
        return reject(deadline.timedOut() ? new Error(`ping to ${host} did not finish within ${deadline.seconds()} s`) : toError(deadline.signal.reason));
      }
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e?.code === 'ENOENT') return reject(new Error(`cannot run ping: ${options.binary ?? 'ping'} is not installed`));
      const line = stderr.trim().split('\n').pop() ?? '';
      if (/Name or service not known|Temporary failure in name resolution|No address associated/.test(line)) {
        return reject(new Error(`ping could not resolve ${host}`));
      }
      reject(new Error(`ping ${host} failed: ${line.replace(/^ping: /, '') || (e ? e.message : 'no summary')}`));
    });
  });
}
