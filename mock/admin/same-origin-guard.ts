import type { NextFunction, Request, Response } from 'express';

/** The names the admin API answers under when no token is set, besides the listen address and `localhost`. */
export interface SameOriginOptions {
  /** The `host` the mock was asked to listen on (`127.0.0.1`, `localhost`, `::1`). */
  listenHost: string;
  /** The address the socket is bound to once listening (`localhost` resolves to one of several). */
  boundAddress: () => string | undefined;
  /** `--allowed-host` names and the config's `allowedHosts:`. */
  allowedHosts: readonly string[];
}

/** Methods that change nothing; every other method (POST, PUT, DELETE, PATCH...) is a write. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Keeps the admin API of a mock without a token to the developer's own tools, since the browser they have open is
 * also on this machine:
 * - a page of another site could POST a `<form enctype="text/plain">` or a `no-cors` fetch, which the browser sends
 *   without asking; so a write carrying an `Origin` other than the mock's own is refused, and every write must say
 *   `Content-Type: application/json`, which no such request can carry (it would need a preflight that the admin API
 *   never allows);
 * - a DNS-rebinding page (its name re-pointed at 127.0.0.1) is same-origin with itself, so the browser would let it
 *   read answers; its requests carry its own name as `Host`, so only the names the mock is reached by on this
 *   machine are served.
 * With a token the token is the guard instead (no other page can know it), so a mock behind a proxy or a
 * container's service name keeps working; the JSON rule for writes holds either way.
 */
export function sameOriginGuard(options: SameOriginOptions | undefined) {
  const extra = new Set((options?.allowedHosts ?? []).map(hostName));
  const allowed = (name: string): boolean => {
    if (!options) return true;
    if (name === 'localhost' || extra.has(name) || name === hostName(options.listenHost)) return true;
    const bound = options.boundAddress();
    return bound !== undefined && name === hostName(bound);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const write = !READ_METHODS.has(req.method);
    if (options) {
      const host = req.headers.host;
      const name = host === undefined ? undefined : hostOfAuthority(host);
      if (name === undefined || !allowed(name)) {
        return refuse(
          res,
          403,
          `the admin API answers only under this machine's own names (${describeAllowed(options)}), not under ` +
            `Host ${JSON.stringify(host ?? '')}: a page whose name points at this machine must not reach it; ` +
            'allow another name with --allowed-host NAME (config: allowedHosts), or set an admin token',
        );
      }
      const origin = req.headers.origin;
      if (write && origin !== undefined && !sameOrigin(origin, host ?? '', allowed)) {
        return refuse(
          res,
          403,
          `a ${req.method} from the page at ${JSON.stringify(origin)} is refused: only the mock's own pages (the ` +
            'dashboard) and clients that send no Origin (curl, scripts, tests) may change the mock without a token',
        );
      }
    }
    if (write && !isJson(req.headers['content-type'])) {
      return refuse(
        res,
        415,
        `admin ${req.method} calls must send Content-Type: application/json (got ` +
          `${req.headers['content-type'] === undefined ? 'none' : JSON.stringify(req.headers['content-type'])}), ` +
          "with or without a body: e.g. curl -X POST -H 'content-type: application/json' URL",
      );
    }
    next();
  };
}

/**
 * Same origin as the mock: the page's `host:port` is the one this request was sent to, or an allowed name with the
 * same port (the dashboard opened as `localhost` calling `127.0.0.1`). The scheme is not compared: a TLS proxy in
 * front changes it without changing who the page belongs to.
 */
function sameOrigin(origin: string, host: string, allowed: (name: string) => boolean): boolean {
  if (!URL.canParse(origin)) return false; // `null` (a sandboxed or privacy-stripped page) is nobody's origin.
  const page = new URL(origin);
  if (page.host.toLowerCase() === host.toLowerCase()) return true;
  const port = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).port : undefined;
  return page.port === port && allowed(hostName(page.hostname));
}

/** The name part of a `Host` header (`127.0.0.1:4010`, `[::1]:4010`, `Localhost.`), or undefined when unreadable. */
function hostOfAuthority(authority: string): string | undefined {
  // A Host with a path, a user part or spaces is no Host a browser sends: unreadable, so refused.
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s/:@?#[\]]+)(?::\d{1,5})?$/.exec(authority);
  return match?.[1] === undefined ? undefined : hostName(match[1]);
}

/** Lower case, brackets and a trailing dot dropped: `[::1]` and `::1`, `localhost.` and `localhost` are one name. */
function hostName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

function describeAllowed(options: SameOriginOptions): string {
  const names = new Set(['localhost', hostName(options.listenHost), ...options.allowedHosts.map(hostName)]);
  const bound = options.boundAddress();
  if (bound !== undefined) names.add(hostName(bound));
  return [...names].join(', ');
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function refuse(res: Response, httpCode: number, reason: string): void {
  res.status(httpCode).json({ error: reason });
}
