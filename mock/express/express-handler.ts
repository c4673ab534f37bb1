import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { AdminApi } from '../admin/admin-handler.js';
import { ADMIN_PREFIX } from '../admin/admin-prefix.js';
import {
  bodyLimits,
  errorAnswer,
  type MockRequests,
  type RenderedAnswer,
  type RequestHead,
  renderAnswer,
  renderedBodyText,
} from '../core/index.js';
import { lingerAfterAnswer } from './client-errors.js';
import { REQUEST_TIMEOUT_MS } from './client-timeouts.js';
import { corsHandler } from './cors.js';
import { createBodyReader } from './request-body-reader.js';
import { logRequestWhenSent, type MockLogger } from './request-log.js';

export interface MockAppOptions {
  /** CORS headers and preflight answers for the endpoint (default true); see cors.ts. */
  cors?: boolean;
  /** How long a body may take to arrive once the mock reads it; default client-timeouts.ts's REQUEST_TIMEOUT_MS. */
  requestMs?: number;
}

/**
 * The Express adapter: it gives the core the request's head, then (if the core needs it) the body in the core's
 * shape, and sends what the core rendered. It decides nothing; every path except the admin prefix goes to the core (which
 * answers NOT_FOUND for anything but the endpoint), and the error handler makes sure Express never sends its own HTML page.
 */
export function createMockApp(
  core: MockRequests,
  logger: MockLogger | undefined,
  admin: AdminApi | undefined,
  options: MockAppOptions = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const bodyReader = createBodyReader(bodyLimits(core.decisions), options.requestMs ?? REQUEST_TIMEOUT_MS);

  // Without the admin API its prefix is an unknown path like any other: the vendor's NOT_FOUND.
  if (admin) app.use(ADMIN_PREFIX, admin.router);
  if (options.cors !== false) app.use(corsHandler(logger));
  app.use(async (req: Request, res: Response) => {
    const receivedAt = performance.now();
    const head: RequestHead = {
      method: req.method,
      path: req.path,
      headers: textHeaders(req),
      ...queryNamesOf(req.url),
    };
    // The head first: a request refused for its route, Prefer, credentials or rate is answered without reading
    // its body (Node discards the rest).
    const verdict = await core.judgeHead(head);
    let rendered: RenderedAnswer;
    if (verdict.kind === 'answered') {
      rendered = verdict.rendered;
    } else {
      const body = await bodyReader.read(req, res);
      // An upload cut off at the limit, or one that did not arrive in time, is still arriving: answer now, then
      // drain a bounded rest and close.
      if (body.kind === 'too-large' || (body.kind === 'malformed' && !req.complete)) lingerAfterAnswer(req, res);
      rendered = await core.judgeBody(verdict.ticket, body);
    }
    if (logger)
      logRequestWhenSent(logger, res, { method: req.method, path: req.path, startedAt: receivedAt }, rendered);
    send(res, rendered);
  });
  // Reached only by a bug of ours; still the documented JSON, never Express's HTML error page.
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(res, renderAnswer(errorAnswer('INTERNAL_ERROR', 'the mock failed to answer this request')));
  });
  return app;
}

function send(res: Response, rendered: RenderedAnswer): void {
  const write = () => {
    if (rendered.headers) res.set(rendered.headers);
    res.status(rendered.httpCode).type(rendered.contentType).send(renderedBodyText(rendered));
  };
  if (rendered.latencyMs > 0) setTimeout(write, rendered.latencyMs);
  else write();
}

/** The query's parameter names only (see MockRequest.queryNames); nothing when there is no query. */
function queryNamesOf(url: string): { queryNames?: string[] } {
  const at = url.indexOf('?');
  if (at === -1) return {};
  return { queryNames: [...new Set(new URLSearchParams(url.slice(at + 1)).keys())] };
}

/** Node gives `string[]` only for `set-cookie`; the core wants one string per header name. */
function textHeaders(req: Request): Record<string, string | undefined> {
  const headers = req.headers;
  if (headers['set-cookie'] === undefined) return headers as Record<string, string | undefined>;
  return { ...headers, 'set-cookie': headers['set-cookie'].join(', ') };
}
