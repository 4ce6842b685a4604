/**
 * VNC (RFB 3.3/3.7/3.8) probe over node:net: banner, security negotiation, VNC
 * authentication (DES challenge) or no authentication, then ClientInit/ServerInit, so a
 * pass means a desktop was actually offered. The password never appears in messages.
 */
import type { ProbeDeadline } from './tcp-deadline.js';
import { TcpSession } from './tcp-session.js';
import { vncAuthResponse } from './vnc-des.js';

const SECURITY_NAMES: Record<number, string> = { 0: 'Invalid', 1: 'None', 2: 'VNC authentication', 5: 'RA2', 6: 'RA2ne', 16: 'Tight', 18: 'TLS', 19: 'VeNCrypt', 30: 'Apple ARD' };

/** How the probe may authenticate. */
export interface VncProbeOptions {
  /** Password for VNC authentication; without it only security type None can pass. */
  readonly password?: string;
  /** Accept a server that asks for no authentication (security type None). */
  readonly allowNoAuth: boolean;
}

/** What a successful handshake showed. */
export interface VncSession {
  readonly target: string;
  /** "3.8" */
  readonly version: string;
  readonly security: 'none' | 'vnc';
  readonly width: number;
  readonly height: number;
  /** Desktop name from ServerInit. */
  readonly name: string;
}

/** Runs the RFB handshake to ServerInit; throws a sentence naming the failed step. */
export async function probeVnc(host: string, port: number, deadline: ProbeDeadline, options: VncProbeOptions): Promise<VncSession> {
  const s = await TcpSession.open(host, port, deadline);
  const at = `connected to ${s.target}`;
  try {
    const banner = (await s.read(12, 'RFB version banner')).toString('latin1');
    const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(banner);
    if (!m) throw new Error(`${at}; the banner is not RFB (VNC): ${JSON.stringify(banner)}`);
    const minor = Number(m[1]) > 3 ? 8 : Math.min(Number(m[2]), 8);
    const version = minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
    s.write(`RFB 003.00${version}\n`);

    let offered: number[];
    if (version >= 7) {
      const n = (await s.read(1, 'the security types'))[0] ?? 0;
      if (n === 0) throw new Error(`${at}; the VNC server refused the connection: ${await readReason(s)}`);
      offered = [...(await s.read(n, 'the security types'))];
    } else {
      const t = (await s.read(4, 'the security type')).readUInt32BE(0);
      if (t === 0) throw new Error(`${at}; the VNC server refused the connection: ${await readReason(s)}`);
      offered = [t];
    }
    const names = offered.map((t) => SECURITY_NAMES[t] ?? `type ${t}`).join(', ');
    let security: 'none' | 'vnc';
    if (offered.includes(2) && options.password !== undefined) security = 'vnc';
    else if (offered.includes(1) && options.allowNoAuth) security = 'none';
    else if (offered.includes(1)) throw new Error(`${at}; the VNC server asks for no password (security type None), which allowNoAuth does not permit`);
    else if (offered.includes(2)) throw new Error(`${at}; the VNC server wants VNC authentication, but no password is configured`);
    else throw new Error(`${at}; the VNC server offers only ${names}; VNC authentication or None is needed`);
    if (version >= 7) s.write(Buffer.from([security === 'vnc' ? 2 : 1]));

    if (security === 'vnc') {
      const challenge = await s.read(16, 'the VNC authentication challenge');
      s.write(vncAuthResponse(options.password ?? '', challenge));
    }
    if (security === 'vnc' || version >= 8) {
      const result = (await s.read(4, 'the authentication result')).readUInt32BE(0);
      if (result !== 0) {
        const reason = version >= 8 ? await readReason(s).catch(() => '') : '';
        const what = security === 'vnc' ? (result === 2 ? 'VNC authentication refused: too many failed attempts' : 'VNC password rejected') : 'the VNC server refused the connection';
        throw new Error(`${at}; ${what}${reason ? ` (${reason})` : ''}`);
      }
    }
    s.write(Buffer.from([1])); // ClientInit, shared session
    const init = await s.read(24, 'ServerInit');
    const nameLength = init.readUInt32BE(20);
    const name = (await s.read(Math.min(nameLength, 1024), 'the desktop name')).toString('utf8');
    return { target: s.target, version: `3.${version}`, security, width: init.readUInt16BE(0), height: init.readUInt16BE(2), name };
  } finally {
    s.close();
  }
}

async function readReason(s: TcpSession): Promise<string> {
  const length = (await s.read(4, 'the reason')).readUInt32BE(0);
  const text = (await s.read(Math.min(length, 512), 'the reason')).toString('utf8').trim();
  return text || 'no reason given';
}
