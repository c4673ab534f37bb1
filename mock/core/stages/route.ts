import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { PREDICT_GENDER_PATH } from '../../../src/spec/spec-document.js';
import { errorAnswer, exampleReason } from '../answer.js';
import { routeDiagnosis } from '../client-diagnosis.js';
import type { RequestHead } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

const PASS = { ok: true } as const;
/** The one method the vendor documents on its path: what a 405's Allow header names. */
const ENDPOINT_METHOD = 'POST';

/** Whether a request is for the one endpoint the vendor documents. */
export function isEndpoint(method: string, path: string): boolean {
  return method === ENDPOINT_METHOD && path === PREDICT_GENDER_PATH;
}

/**
 * The route stage. Any other path is NOT_FOUND with the JSON body (the vendor documents it). Another method on the
 * endpoint's path is the decision other-methods: `not-found` (the spec's choice) answers it like an unknown path,
 * `method-not-allowed` answers 405 with `Allow: POST`, as a web framework or gateway would.
 */
export function checkRoute(head: RequestHead, decisions: DecisionProfile): StageResult<object> {
  if (isEndpoint(head.method, head.path)) return PASS;
  const diagnosis = routeDiagnosis(head.method, head.path, decisions);
  if (head.path === PREDICT_GENDER_PATH && decisions['other-methods'] === 'method-not-allowed') {
    return stop({ kind: 'method-not-allowed', allow: ENDPOINT_METHOD }, 'route', diagnosis);
  }
  return stop(errorAnswer('NOT_FOUND', exampleReason('NOT_FOUND')), 'route', diagnosis);
}
