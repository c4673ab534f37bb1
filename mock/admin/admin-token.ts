import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN_TOKEN_ENV } from './admin-prefix.js';

/** Whether `host` only accepts connections from this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * Why a mock may not start with the admin API as configured, or `undefined` when it may: off loopback anyone who
 * reaches the port could rewrite keys and read the journal, so a token is required there.
 */
export function adminExposureProblem(host: string, admin: boolean, token: string | undefined): string | undefined {
  if (!admin || token || isLoopbackHost(host)) return undefined;
  return (
    `the admin API (/__admin) would be open to anyone who reaches ${host}: set a token with --admin-token TOKEN ` +
    `or the ${ADMIN_TOKEN_ENV} environment variable (startMock: adminToken), or turn the admin API off with ` +
    '--no-admin (startMock: admin: false)'
  );
}

/**
 * Requires `Authorization: Bearer TOKEN` on every admin route it guards; the events stream also takes
 * `?token=TOKEN`, because a browser's EventSource cannot set headers. Compared in constant time.
 */
export function requireAdminToken(token: string) {
  const expected = Buffer.from(token);
  const matches = (given: string | undefined) => {
    if (given === undefined) return false;
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const query = req.path === '/events' && typeof req.query.token === 'string' ? req.query.token : undefined;
    if (matches(bearer) || matches(query)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="accuauth-kit admin"')
      .json({ error: 'the admin API needs the admin token: send Authorization: Bearer TOKEN' });
  };
}
