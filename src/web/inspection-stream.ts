/**
 * The live inspection stream over Server-Sent Events. Every message has an `id` (its
 * seq); a client that reconnects with `Last-Event-ID` gets the messages it missed when
 * the hub still keeps them, else a fresh `snapshot` event. Ticks carry no id.
 *
 * Events: `snapshot` (HubSnapshot), `actor` / `removed` / `tick` (HubMessage).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InspectionHub } from '../inspection/inspection-hub.js';
import type { HubMessage } from '../inspection/hub-messages.js';
import type { TeamStreamScope } from '../inspection/team-scope.js';

/**
 * Serves the hub's stream on `res` until the client goes away; returns how to end it
 * now. With `scope`, only what that team may see is sent.
 */
export function streamInspection(req: IncomingMessage, res: ServerResponse, hub: InspectionHub, scope?: TeamStreamScope): () => void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 1000\n\n');
  const send = (event: string, data: unknown, id?: number) => {
    res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const sendMessage = (message: HubMessage) => {
    const m = scope ? scope.message(message) : message;
    if (!m) return;
    if (m.kind === 'tick') send('tick', m);
    else send(m.kind, m, m.seq);
  };
  // Subscribe first (it attaches the hub), then catch up; all in one turn: no gap.
  const sub = hub.messages$.subscribe(sendMessage);
  const header = req.headers['last-event-id'];
  const lastId = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
  const missed = lastId !== undefined ? hub.since(lastId) : undefined;
  if (missed) for (const m of missed) sendMessage(m);
  else {
    const snapshot = scope ? scope.snapshot(hub.snapshot()) : hub.snapshot();
    send('snapshot', snapshot, snapshot.seq);
  }
  const end = () => sub.unsubscribe();
  req.on('close', end);
  res.on('error', end);
  return () => {
    end();
    res.end();
  };
}
