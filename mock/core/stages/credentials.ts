import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { credentialHeaders, RESERVED_FAKE_ID_PREFIX } from '../../../src/spec/credential-headers.js';
import { errorAnswer } from '../answer.js';
import { missingCredentialsDiagnosis, unknownCredentialsDiagnosis } from '../client-diagnosis.js';
import type { KeyRegistry, RegisteredKey } from '../config/key-registry.js';
import type { RequestHead } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

/**
 * The vendor documents both headers as required and UNAUTHORIZED as "Unauthorize or authorize failed". Without
 * configured keys any non-empty pair passes but a reserved fake id; with keys, an unknown id or a wrong secret is UNAUTHORIZED, then an
 * expired key KEY_EXPIRED, then a key without permission NO_PERMISSION (vendor order unknown; the drift check
 * only sees the first two with real keys).
 */
export function checkCredentials(
  request: RequestHead,
  keys: KeyRegistry,
  nowMs: number,
  decisions: DecisionProfile,
): StageResult<{ keyId: string; key: RegisteredKey | undefined }> {
  const names = credentialHeaders();
  const keyId = request.headers[names.apiIdLower];
  const secret = request.headers[names.apiSecretLower];
  if (!keyId || !secret) {
    return stop(
      errorAnswer('UNAUTHORIZED', `missing ${names.apiId} or ${names.apiSecret} header`),
      'credentials',
      missingCredentialsDiagnosis(request.headers, request.queryNames ?? [], decisions),
    );
  }
  if (!keys) {
    // No diagnosis: a reserved fake id is how a test asks the default mock for a 401, not a client's mistake.
    if (keyId.startsWith(RESERVED_FAKE_ID_PREFIX)) {
      return stop(
        errorAnswer('UNAUTHORIZED', `invalid X-DF-API-ID: ids starting ${RESERVED_FAKE_ID_PREFIX} are never issued`),
        'credentials',
      );
    }
    return { ok: true, keyId, key: undefined };
  }
  const key = keys.get(keyId);
  // One reason for both cases, so the answer does not tell a caller which ids exist.
  if (!key || key.config.secret !== secret) {
    return stop(
      errorAnswer('UNAUTHORIZED', `invalid ${names.apiId} / ${names.apiSecret}`),
      'credentials',
      unknownCredentialsDiagnosis(keyId, decisions),
    );
  }
  // An expired key or one without permission is an account state the test configured, not a malformed request.
  if (key.expiresAtMs !== undefined && nowMs >= key.expiresAtMs) {
    return stop(errorAnswer('KEY_EXPIRED', `API ID ${keyId} expired at ${key.config.expiresAt}`), 'credentials');
  }
  if (key.config.permission === false) {
    return stop(errorAnswer('NO_PERMISSION', `API ID ${keyId} is not authorized to use predict_gender`), 'credentials');
  }
  return { ok: true, keyId, key };
}
