/**
 * RDP handshake probe: sends an X.224 Connection Request carrying an RDP Negotiation
 * Request (MS-RDPBCGR 2.2.1.1) and reads the X.224 Connection Confirm (TPDU code 0xD0)
 * with the server's negotiation response. Nothing past the handshake is attempted.
 */
import type { ProbeDeadline } from './tcp-deadline.js';
import { TcpSession } from './tcp-session.js';

/** Security protocols a client can request (flags). */
export const RDP_PROTOCOLS = { RDP: 0, SSL: 1, HYBRID: 2, RDSTLS: 4, HYBRID_EX: 8 } as const;

const FAILURE_CODES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

/** What the server confirmed. */
export interface RdpConfirm {
  readonly target: string;
  /** Protocol the server selected (names), when it sent a negotiation response. */
  readonly selected?: string;
  /** Failure code name, when it sent a negotiation failure (still an RDP answer). */
  readonly failure?: string;
}

/** Builds the 19-byte TPKT + X.224 CR + RDP_NEG_REQ. */
export function connectionRequest(requested: number): Buffer {
  const pdu = Buffer.alloc(19);
  pdu.writeUInt8(3, 0); // TPKT version
  pdu.writeUInt16BE(19, 2); // TPKT length
  pdu.writeUInt8(14, 4); // X.224 length indicator (bytes after it)
  pdu.writeUInt8(0xe0, 5); // CR TPDU; dst-ref, src-ref, class stay 0
  pdu.writeUInt8(0x01, 11); // RDP_NEG_REQ
  pdu.writeUInt16LE(8, 13);
  pdu.writeUInt32LE(requested, 15);
  return pdu;
}

/** Runs the X.224 handshake with host:port; throws a sentence naming the failed step. */
export async function probeRdp(host: string, port: number, deadline: ProbeDeadline, requested = RDP_PROTOCOLS.SSL | RDP_PROTOCOLS.HYBRID): Promise<RdpConfirm> {
  const session = await TcpSession.open(host, port, deadline);
  try {
    session.write(connectionRequest(requested));
    const header = await session.read(4, 'X.224 Connection Confirm');
    const length = header.readUInt16BE(2);
    if (header[0] !== 3 || length < 11) {
      throw new Error(`connected to ${session.target}; the answer is not a TPKT/X.224 packet (not RDP?): ${printable(header)}`);
    }
    const tpdu = await session.read(length - 4, 'the rest of the X.224 Connection Confirm');
    const code = (tpdu[1] ?? 0) & 0xf0;
    if (code !== 0xd0) throw new Error(`connected to ${session.target}; expected an X.224 Connection Confirm (0xD0), got TPDU code 0x${code.toString(16).toUpperCase()}`);
    const neg = tpdu.subarray(7);
    if (neg.length >= 8 && neg[0] === 0x02) return { target: session.target, selected: protocolName(neg.readUInt32LE(4)) };
    if (neg.length >= 8 && neg[0] === 0x03) {
      const failure = neg.readUInt32LE(4);
      return { target: session.target, failure: FAILURE_CODES[failure] ?? `failure code ${failure}` };
    }
    return { target: session.target };
  } finally {
    session.close();
  }
}

function protocolName(p: number): string {
  if (p === 0) return 'standard RDP security';
  return Object.entries(RDP_PROTOCOLS)
    .filter(([, bit]) => bit !== 0 && (p & bit) !== 0)
    .map(([name]) => name)
    .join('+');
}

function printable(b: Buffer): string {
  return JSON.stringify(b.toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
}
