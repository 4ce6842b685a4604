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

/** Serves the hub's stream on `res` until the client goes away; returns how to end it now. */
export function streamInspection(req: IncomingMessage, res: ServerResponse, hub: InspectionHub): () => void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 1000\n\n');
  const send = (event: string, data: unknown, id?: number) => {
    res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const sendMessage = (m: HubMessage) => (m.kind === 'tick' ? send('tick', m) : send(m.kind, m, m.seq));
  // Subscribe first (it attaches the hub), then catch up; all in one turn: no gap.
  const sub = hub.messages$.subscribe(sendMessage);
  const header = req.headers['last-event-id'];
  const lastId = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
  const missed = lastId !== undefined ? hub.since(lastId) : undefined;
  if (missed) for (const m of missed) sendMessage(m);
  else {
    const snapshot = hub.snapshot();
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
