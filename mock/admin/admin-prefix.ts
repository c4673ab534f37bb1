/**
 * The reserved path prefix of the admin API (WireMock's convention); the vendor has no such path, so it cannot
 * shadow a real one. In a module of its own so that the package's
 * public declarations do not pull in Express's types through the admin router.
 */
export const ADMIN_PREFIX = '/__admin';
