import { computeOnce } from '../compute-once.js';
import { loadSpec, type SpecDocument } from './spec-document.js';

/** The two credential headers, named by the spec's `ApiId` and `ApiSecret` security schemes. */
export interface CredentialHeaders {
  /** As the spec spells it, e.g. `X-DF-API-ID`: what a client sends. */
  apiId: string;
  apiSecret: string;
  /** Lowercased: how Node and the Fetch API's Headers name them on a received request. */
  apiIdLower: string;
  apiSecretLower: string;
}

export function readCredentialHeaders(spec: SpecDocument = loadSpec()): CredentialHeaders {
  const schemes = spec.components.securitySchemes;
  const apiId = schemes.ApiId?.name;
  const apiSecret = schemes.ApiSecret?.name;
  if (!apiId || !apiSecret) throw new Error('the spec has no ApiId/ApiSecret header security schemes');
  return { apiId, apiSecret, apiIdLower: apiId.toLowerCase(), apiSecretLower: apiSecret.toLowerCase() };
}

/** The headers of the packaged spec, read once. */
export const credentialHeaders = computeOnce(() => readCredentialHeaders());

/**
 * Ids the mock without configured keys refuses, so that "wrong credentials" can be tested against the default mock
 * and answered as the vendor answers a pair it never issued: 401 UNAUTHORIZED. The drift check's wrong-credentials
 * probe sends such an id, so drift of the default mock against itself is clean. Configured keys are unaffected.
 */
export const RESERVED_FAKE_ID_PREFIX = 'accuauth-kit-fake-';
