import type { Request, Response } from 'express';
import type { MockCore } from '../../src/core/mock-core.js';
import type { JournalEntry } from '../../src/core/state/request-journal.js';

/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

export interface JournalEvents {
  /** `GET /__admin/events`: server-sent events, one `request` event per journal entry recorded from now on. */
  handle(req: Request, res: Response): void;
  /** Ends every open stream, so the server can close (a stream never ends by itself). */
  closeAll(): void;
}

/**
 * The live journal for the dashboard, fed by `subscribeJournal` (so a shared state's other mocks show up too).
 * The request path pays one JSON.stringify per entry, and only while a stream is open.
 */
export function journalEvents(core: MockCore): JournalEvents {
  const open = new Set<Response>();
  return {
    handle(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 1000\n: accuauth-kit journal\n\n');
      open.add(res);
      const send = (entry: JournalEntry) => res.write(`event: request\ndata: ${JSON.stringify(entry)}\n\n`);
      const unsubscribe = core.subscribeJournal(send);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      const stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
        open.delete(res);
      };
      req.on('close', stop);
    },
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}
