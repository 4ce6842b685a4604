/**
 * SNTP probe (RFC 4330) over node:dgram: one 48-byte client request (mode 3) carrying
 * our transmit time, one answer read back. The answer must echo that time as its
 * originate timestamp (so a stray or spoofed packet is not taken for it).
 */
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeDeadline } from './tcp-deadline.js';
import { toError } from './tcp-session.js';

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const NTP_EPOCH_OFFSET = 2_208_988_800;

/** The fields of an SNTP answer a check judges. */
export interface NtpAnswer {
  /** Leap indicator: 3 means the server is not synchronized. */
  readonly leap: number;
  readonly version: number;
  readonly mode: number;
  readonly stratum: number;
  /** Reference id as text: a kiss code or clock name for strata 0/1, an address otherwise. */
  readonly refId: string;
  /** Server transmit time, epoch ms (0 when the field is zero). */
  readonly transmitMs: number;
  /** Clock offset estimate (server - local), ms. */
  readonly offsetMs: number;
  /** Round trip, ms. */
  readonly roundTripMs: number;
}

/** Sends one SNTP request to host:port and returns the answer, or throws a sentence. */
export async function queryNtp(host: string, port: number, deadline: ProbeDeadline): Promise<NtpAnswer> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const address = isIP(host) ? host : (await lookup(host).catch(() => null))?.address;
  if (!address) throw new Error(`cannot resolve the NTP server's name ${host}`);
  const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  return new Promise<NtpAnswer>((resolve, reject) => {
    const sentMs = Date.now();
    const request = Buffer.alloc(48);
    request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
    writeTimestamp(request, 40, sentMs);
    const finish = (err: Error | null, answer?: NtpAnswer) => {
      deadline.signal.removeEventListener('abort', onAbort);
      socket.close();
      if (err) reject(err);
      else resolve(answer as NtpAnswer);
    };
    const onAbort = () =>
      finish(deadline.timedOut() ? new Error(`no NTP answer from ${target} within ${deadline.seconds()} s`) : toError(deadline.signal.reason));
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(new Error(err.code === 'ECONNREFUSED' ? `NTP server ${target} refused the request (nothing listening on UDP ${port}?)` : `NTP request to ${target} failed: ${err.code ?? err.message}`)),
    );
    socket.on('message', (msg) => {
      const receivedMs = Date.now();
      if (msg.length < 48) return; // not an NTP answer: keep waiting
      if (!msg.subarray(24, 32).equals(request.subarray(40, 48))) return; // not the answer to our request
      finish(null, parseAnswer(msg, sentMs, receivedMs));
    });
    socket.connect(port, address, () => socket.send(request));
  });
}

function parseAnswer(msg: Buffer, sentMs: number, receivedMs: number): NtpAnswer {
  const b0 = msg.readUInt8(0);
  const stratum = msg.readUInt8(1);
  const refBytes = msg.subarray(12, 16);
  const refId = stratum <= 1 ? refBytes.toString('latin1').replace(/\0+$/, '') : [...refBytes].join('.');
  const receiveMs = readTimestamp(msg, 32);
  const transmitMs = readTimestamp(msg, 40);
  return {
    leap: b0 >> 6,
    version: (b0 >> 3) & 7,
    mode: b0 & 7,
    stratum,
    refId,
    transmitMs,
    offsetMs: (receiveMs - sentMs + (transmitMs - receivedMs)) / 2,
    roundTripMs: receivedMs - sentMs - (transmitMs - receiveMs),
  };
}

function writeTimestamp(buf: Buffer, offset: number, epochMs: number): void {
  const seconds = Math.floor(epochMs / 1000) + NTP_EPOCH_OFFSET;
  const fraction = Math.floor(((epochMs % 1000) / 1000) * 2 ** 32);
  buf.writeUInt32BE(seconds >>> 0, offset);
  buf.writeUInt32BE(fraction >>> 0, offset + 4);
}

function readTimestamp(buf: Buffer, offset: number): number {
  const seconds = buf.readUInt32BE(offset);
  const fraction = buf.readUInt32BE(offset + 4);
  if (seconds === 0 && fraction === 0) return 0;
  return (seconds - NTP_EPOCH_OFFSET) * 1000 + Math.round((fraction / 2 ** 32) * 1000);
}
