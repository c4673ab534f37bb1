import { join } from 'node:path';
import { findSpecPath } from '../../src/spec/spec-document.js';
import type { ErrorStatus } from '../../src/types.js';

export const CONSUMER = 'accuauth-kit-client';
export const PROVIDER = 'accuauth-predict-gender';

/** contracts/pacts/, where the consumer tests write the pact and the provider verification reads it. */
export const PACT_DIR = join(findSpecPath(), '..', '..', 'contracts', 'pacts');
export const PACT_FILE = join(PACT_DIR, `${CONSUMER}-${PROVIDER}.json`);

/**
 * The credentials the pact shows. They are placeholders: the pact matches the credential headers by regex, so it
 * never pins a real secret, and the provider verification (or the live run's request filter) supplies real ones.
 */
export const PLACEHOLDER_KEY = { apiId: 'k1', apiSecret: 'pact-placeholder-secret' } as const;
/** Credentials no provider knows: the UNAUTHORIZED interaction sends these, and the live run leaves them alone. */
export const UNKNOWN_KEY = { apiId: 'pact-unknown-id', apiSecret: 'pact-unknown-secret' } as const;

/**
 * Provider states, shared by the consumer tests that name them and the provider verification that sets them up.
 * Every state is about key k1 (PLACEHOLDER_KEY) or the next call; the provider verification maps each one to the
 * mock's admin API.
 */
export const STATES = {
  activeKey: 'key k1 is active',
  expiredKey: 'key k1 has expired',
  noPermission: 'key k1 may not call predict_gender',
  quotaUsedUp: 'key k1 has used up its quota',
  rateLimited: 'key k1 has hit its rate limit',
  nextCallFails: (status: ErrorStatus) => `the next call fails with ${status}`,
} as const;
