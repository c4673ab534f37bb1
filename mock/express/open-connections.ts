import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The mock's connections and, on each, the answers it still owes. Node's `server.close()` waits for every
 * connection but also stops the timers that would have ended a stalled one, so a client that sent nothing, half
 * its headers or half its body held a stopping mock forever; and Node answers a malformed request that follows
 * complete ones on the same connection before their answers have gone out. Both need to know, per connection,
 * which requests arrived whole and whether their answers were sent.
 */
export interface OpenConnections {
  /**
   * Resolves once every request that had arrived whole on `socket` when called has its answer sent, or the
   * client is gone: a request still arriving (the malformed one) is not waited for.
   */
  whenArrivedAnswered(socket: Duplex): Promise<void>;
  /**
   * Stops the connections within `graceMs`: those with no request in progress (idle, nothing sent, half a head)
   * at once, the others after their answers (sent with `Connection: close`), and every one left at the bound.
   * Resolves once none is open.
   */
  closeWithin(graceMs: number): Promise<void>;
}

export function trackOpenConnections(server: Server): OpenConnections {
  const sockets = new Set<Socket>();
  const owed = new WeakMap<Duplex, Set<ServerResponse>>();
  const waiters = new Set<{ socket: Duplex; answers: Set<ServerResponse>; resolve: () => void }>();
  let closing = false;
  let allClosed: (() => void) | undefined;

  const settle = (socket: Duplex) => {
    for (const waiter of waiters) {
      if (waiter.socket !== socket) continue;
      for (const answer of waiter.answers) if (!owed.get(socket)?.has(answer)) waiter.answers.delete(answer);
      if (waiter.answers.size === 0 || socket.destroyed) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    owed.set(socket, new Set());
    socket.once('close', () => {
      sockets.delete(socket);
      owed.get(socket)?.clear();
      settle(socket);
      if (closing && sockets.size === 0) allClosed?.();
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const answers = owed.get(socket);
    if (!answers) return;
    answers.add(res);
    if (closing) res.setHeader('connection', 'close');
    const sent = () => {
      if (!answers.delete(res)) return;
      settle(socket);
      // An answer whose headers went out before the stop was sent keep-alive: end the connection after it.
      if (closing && answers.size === 0 && !socket.destroyed) socket.destroySoon();
    };
    res.once('finish', sent);
    res.once('close', sent);
  });

  return {
    whenArrivedAnswered(socket) {
      const arrived = [...(owed.get(socket) ?? [])].filter((answer) => answer.req.complete);
      if (arrived.length === 0 || socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ socket, answers: new Set(arrived), resolve }));
    },
    closeWithin(graceMs) {
      closing = true;
      if (sockets.size === 0) return Promise.resolve();
      const closed = new Promise<void>((resolve) => {
        allClosed = resolve;
      });
      for (const socket of sockets) {
        const answers = owed.get(socket);
        if (!answers || answers.size === 0) socket.destroy();
        else for (const answer of answers) if (!answer.headersSent) answer.setHeader('connection', 'close');
      }
      const bound = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      return closed.finally(() => clearTimeout(bound));
    },
  };
}
