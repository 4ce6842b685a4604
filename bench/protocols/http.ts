/** http: GET / and a content match, with undici and a fresh Agent per request (as the check). */
import { Agent, request } from 'undici';
import { PAGE, startParentHttpServer } from '../lib/parent-http-server.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The http side of the protocol benchmark. */
export const httpBench: ProtocolBench = {
  type: 'http',
  steps: 'GET /, body contains a word',
  checks: 1000,
  requires: [],
  start: () => startParentHttpServer({ path: '/', expect: { contains: 'shop' } }),
  async bare(t, signal) {
    const agent = new Agent();
    try {
      const res = await request(`http://${t.host}:${t.port}/`, { dispatcher: agent, signal });
      const body = await res.body.text();
      return res.statusCode === 200 && body === PAGE;
    } catch {
      return false;
    } finally {
      await agent.destroy();
    }
  },
};
