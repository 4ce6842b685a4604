/**
 * Telnet probe on telnet-client 2.x: log in at the login/password prompts, wait for the
 * shell prompt, optionally run one command. telnet-client's own timers are not used
 * (its exec timer outlives a destroyed socket); the probe deadline bounds every step
 * instead, and the socket is destroyed when it fires or the check aborts. A transcript
 * tap on the socket spots a rejected login, which telnet-client misses when "Login
 * incorrect" and the next "login:" prompt arrive together.
 */
import { Telnet } from 'telnet-client';
import type { ProbeDeadline } from './tcp-deadline.js';
import { describeConnectError, toError } from './tcp-session.js';

/** How to log in and what to run. */
export interface TelnetProbeOptions {
  readonly username: string;
  readonly password: string;
  readonly command?: string;
  readonly loginPrompt: RegExp;
  readonly passwordPrompt: RegExp;
  readonly shellPrompt: RegExp;
  /** Text meaning the login was rejected. */
  readonly failure: RegExp;
}

/** What the session produced. */
export interface TelnetProbeResult {
  readonly target: string;
  /** Output of the command (telnet-client strips the echo and the prompt). */
  readonly output?: string;
}

type Step = 'connect' | 'login prompt' | 'password prompt' | 'shell prompt' | 'command';

/** Logs in over telnet and runs `command`; throws a sentence naming the failed step. */
export async function probeTelnet(host: string, port: number, deadline: ProbeDeadline, o: TelnetProbeOptions): Promise<TelnetProbeResult> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const conn = new Telnet();
  let step: Step = 'connect';
  let transcript = '';
  let failAbort: (err: Error) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => (failAbort = reject));
  aborted.catch(() => undefined);
  const onAbort = () => failAbort(deadline.timedOut() ? timeoutError() : toError(deadline.signal.reason));
  const at = `connected to ${target}`;
  const as = `login as ${o.username}`;

  function timeoutError(): Error {
    const within = `within ${deadline.seconds()} s`;
    switch (step) {
      case 'connect':
        return new Error(`no answer from ${target} ${within} (TCP connect)`);
      case 'login prompt':
        return new Error(`${at}; no login prompt ${within}${lastLine()}`);
      case 'password prompt':
        return new Error(`${at}; no password prompt after the username ${within}${lastLine()}`);
      case 'shell prompt':
        return new Error(`${at}; ${as}: no shell prompt ${within}${lastLine()}`);
      case 'command':
        return new Error(`${at}; logged in as ${o.username}, but '${o.command ?? ''}' did not finish ${within}`);
    }
  }
  function lastLine(): string {
    const line = transcript.trim().split(/\r?\n/).pop()?.trim().slice(-80) ?? '';
    return line ? ` (last output: ${JSON.stringify(line.split(o.password).join('***'))})` : '';
  }

  if (deadline.signal.aborted) onAbort();
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const connecting = conn.connect({
      host,
      port,
      username: o.username,
      password: o.password,
      loginPrompt: o.loginPrompt,
      passwordPrompt: o.passwordPrompt,
      shellPrompt: o.shellPrompt,
      failedLoginMatch: o.failure,
      timeout: deadline.ms + 1000, // our deadline decides, not the socket idle timer
      execTimeout: 0,
      negotiationMandatory: true,
    });
    const socket = conn.getSocket();
    socket?.once('connect', () => (step = 'login prompt'));
    socket?.on('data', (chunk: Buffer) => {
      transcript = (transcript + chunk.toString('latin1').replace(/\xff[\xfb-\xfe]./gs, '')).slice(-4096);
      if (step === 'login prompt' && o.loginPrompt.test(transcript)) step = 'password prompt';
      if ((step === 'password prompt' || step === 'login prompt') && o.passwordPrompt.test(transcript)) {
        step = 'shell prompt';
        transcript = '';
      } else if (step === 'shell prompt' && o.failure.test(transcript)) {
        failAbort(new Error(`${at}; ${as} rejected`));
      }
    });
    try {
      await Promise.race([connecting, aborted]);
    } catch (err) {
      throw describe(err);
    }
    if (o.command === undefined) return { target };
    step = 'command';
    const output = await Promise.race([conn.exec(o.command), aborted]).catch((err: unknown) => {
      throw describe(err);
    });
    return { target, output };
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    await conn.destroy().catch(() => undefined);
  }

  function describe(err: unknown): Error {
    if (err instanceof Error && err.message.startsWith(at)) return err;
    if (deadline.signal.aborted) return deadline.timedOut() ? timeoutError() : toError(deadline.signal.reason);
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string' && step === 'connect') return new Error(describeConnectError(e, target));
    if (e.message === 'Failed login') return new Error(`${at}; ${as} rejected`);
    if (e.message === 'Socket ends' || e.message === 'Socket closes') {
      return new Error(`${at}; the server closed the connection while waiting for the ${step === 'command' ? 'command output' : step}${lastLine()}`);
    }
    return new Error(`${at}; telnet ${step} failed: ${e.message}`);
  }
}
