import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { type RawAnswer, readAnswer } from './documented-answer.js';

/**
 * Credentials the default mock accepts (any non-empty pair). The secret is distinctive so that the
 * never-echo-a-secret check cannot miss it or match it by accident.
 */
export const HOSTILE_SECRET = 'hostile-secret-3f9c1e7a5b';
export const HOSTILE_CREDENTIALS = { 'X-DF-API-ID': 'hostile-id', 'X-DF-API-SECRET': HOSTILE_SECRET } as const;

/**
 * POSTs `body` to the endpoint (or `path`) with fetch and reads the answer whole, as text. Unlike `callPredict`
 * (predict-request.ts), it assumes nothing about the answer, so a hostile test can judge a non-JSON or
 * undocumented one with `assertDocumentedAnswer` instead of failing in JSON.parse.
 */
export async function postPredict(
  baseUrl: string,
  init: { body?: Buffer | string; headers?: Record<string, string>; path?: string; method?: string } = {},
): Promise<RawAnswer> {
  const response = await fetch(`${baseUrl}${init.path ?? PREDICT_GENDER_PATH}`, {
    method: init.method ?? 'POST',
    headers: init.headers ?? {},
    // A copy as Uint8Array: fetch's types refuse a Buffer that might sit on a SharedArrayBuffer.
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) }),
  });
  return readAnswer(response);
}
