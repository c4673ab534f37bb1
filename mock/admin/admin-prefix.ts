/**
 * The reserved path prefix of the admin API, and the variable its token is read from (WireMock's convention); the vendor has no such path, so it cannot
 * shadow a real one. In a module of its own so that the package's
 * public declarations do not pull in Express's types through the admin router.
 */
export const ADMIN_PREFIX = '/__admin';

/** The environment variable the CLI reads the admin token from when `--admin-token` is not given. */
export const ADMIN_TOKEN_ENV = 'ACCUAUTH_ADMIN_TOKEN';
