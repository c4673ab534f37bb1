import { PREDICT_GENDER_PATH } from '../../spec/spec-document.js';
import { errorAnswer, exampleReason } from '../answer.js';
import type { RequestHead } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

const PASS = { ok: true } as const;

/** Whether a request is for the one endpoint the vendor documents. */
export function isEndpoint(method: string, path: string): boolean {
  return method === 'POST' && path === PREDICT_GENDER_PATH;
}

/** The route stage: any other path or method is NOT_FOUND, with the JSON body (a decision; see the spec). */
export function checkRoute(head: RequestHead): StageResult<object> {
  return isEndpoint(head.method, head.path)
    ? PASS
    : stop(errorAnswer('NOT_FOUND', exampleReason('NOT_FOUND')), 'route');
}
