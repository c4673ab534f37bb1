/**
 * How long a client may take: its headers within `headersMs` of the request's start, its body within `requestMs`
 * of the mock starting to read it. Node's own defaults hold a stalled client for up to 5.5 minutes (60 s for
 * headers, 300 s per request, checked every 30 s); a loopback upload of a 5 MiB image takes milliseconds, so the
 * mock ends stalled clients within seconds: a CI job whose client hangs must not keep a connection and its buffers.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long an idle kept-alive connection stays open, advertised on every answer as `Keep-Alive: timeout=60`. Node's
 * default, 5 s, is shorter than a proxy may keep a pooled connection without looking at that header: Prism's proxy
 * reads and validates a 6 MB upload for seconds on a loaded machine, then writes it on a connection the mock had
 * closed meanwhile (`write EPIPE`, answered 500 to its caller). Proxies and load balancers keep their pools for
 * about a minute (nginx's keepalive_timeout 75 s, AWS ALB's idle timeout 60 s); an idle socket costs the mock a
 * few kilobytes, and stopping the mock closes idle ones at once.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 60_000;

/**
 * Node looks for clients past `headersTimeout` only every `connectionsCheckingInterval`; a tenth of a second keeps
 * the documented 5 s within 0.1 s of the time it fires (the check walks a list of connections in C++: cheap).
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 100;

/** What `startMock({ clientTimeouts })` may shorten (a test of slow clients), or lengthen (a slow network). */
export interface ClientTimeouts {
  headersMs?: number;
  requestMs?: number;
}

export function resolvedClientTimeouts(overrides: ClientTimeouts = {}): Required<ClientTimeouts> {
  return { headersMs: overrides.headersMs ?? HEADERS_TIMEOUT_MS, requestMs: overrides.requestMs ?? REQUEST_TIMEOUT_MS };
}

/**
 * The options of Node's `createServer`. Node's `requestTimeout` is off: it counts from the request's first byte,
 * so a body waiting for one of the mock's read slots (request-body-reader.ts) would be charged for the mock's own
 * queue; the body reader runs the whole-request clock itself, only while it reads. Node keeps the headers' clock,
 * which knows when a request began (the first byte on a fresh connection, a new request line on a reused one).
 */
export function serverTimeouts(overrides: ClientTimeouts = {}) {
  const { headersMs } = resolvedClientTimeouts(overrides);
  return {
    headersTimeout: headersMs,
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(CONNECTIONS_CHECKING_INTERVAL_MS, Math.max(10, Math.floor(headersMs / 4))),
  };
}
