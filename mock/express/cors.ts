import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { credentialHeaders } from '../../src/spec/credential-headers.js';
import type { MockLogger } from './request-log.js';

/** How long a browser may reuse a preflight's answer; short, since a restart with --no-cors should show soon. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for the vendor endpoint, on by default as Prism's mock does it, so a web app under test can call the mock
 * from a browser page on another origin. Any origin is allowed (echoed, with credentials allowed, so a fetch with
 * `credentials: 'include'` works too); the preflight allows POST and the spec's credential headers, `Prefer` and
 * `Content-Type`, plus whatever else the browser asks for (a scenario may match on any header).
 *
 * A preflight (OPTIONS with `Access-Control-Request-Method`) is answered here, 204 without a body: it is the
 * browser's question, not a call of the vendor, so it never reaches the core, the journal, the quota or the rate
 * window. An OPTIONS without that header is an ordinary request and gets the vendor's answer.
 *
 * Everything a client reads of an answer is in its JSON body or in a CORS-safelisted header (`Content-Type`,
 * `Content-Length`), so there is nothing to list in `Access-Control-Expose-Headers`.
 *
 * Mounted after the admin API, which it leaves alone: a page on any web site could otherwise read the journal of
 * a mock running on the developer's machine.
 */
export function corsHandler(logger: MockLogger | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    res.setHeader('access-control-allow-origin', origin ?? '*');
    if (origin !== undefined) {
      res.setHeader('access-control-allow-credentials', 'true');
      res.append('vary', 'Origin');
    }
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) {
      next();
      return;
    }
    // Read on the first preflight, not at start: the spec is parsed once, and only if a browser ever asks.
    const { apiId, apiSecret } = credentialHeaders();
    const allowedHeaders = [apiId, apiSecret, 'Prefer', 'Content-Type'];
    const allowedLower = new Set(allowedHeaders.map((name) => name.toLowerCase()));
    const asked = (req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '' && !allowedLower.has(name.toLowerCase()));
    res.setHeader('access-control-allow-methods', 'POST');
    res.setHeader('access-control-allow-headers', [...allowedHeaders, ...asked].join(', '));
    res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
    res.append('vary', ['Access-Control-Request-Method', 'Access-Control-Request-Headers']);
    res.status(204).end();
    logger?.debug?.({ method: 'OPTIONS', path: req.path, status: 'CORS_PREFLIGHT', httpCode: 204 });
  };
}
