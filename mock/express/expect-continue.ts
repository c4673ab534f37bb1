import type { IncomingMessage, Server } from 'node:http';
import { ADMIN_PREFIX } from '../admin/admin-prefix.js';

/** Node's own test of the header (RFC 9110: the token, in any case, may come with others). */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

export function expectsContinue(req: IncomingMessage): boolean {
  return CONTINUE_EXPECTATION.test(req.headers.expect ?? '');
}

/**
 * Node answers `Expect: 100-continue` with `100 Continue` before any handler has seen the request, so a client was
 * told to send its body even when the answer (a 401 for its credentials, a 429 for its rate) came from the head
 * alone. With this, the endpoint's `100 Continue` is sent by the body reader once the head was accepted and the
 * body is about to be read (request-body-reader.ts); the admin API, which has no head-only refusals of that kind
 * for a body, gets it at once.
 */
export function continueOnlyOnceAccepted(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res) => {
    if (req.url?.startsWith(ADMIN_PREFIX)) res.writeContinue();
    server.emit('request', req, res);
  });
}
