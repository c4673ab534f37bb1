import { expect } from 'vitest';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { specValidators } from '../../src/validation/spec-validators.js';

/** Any non-empty pair: what the mock accepts when no keys are configured. */
export const ANY_CREDENTIALS = { 'x-df-api-id': 'test-id', 'x-df-api-secret': 'test-secret-value' } as const;

export interface PredictCall {
  file?: Uint8Array;
  imageBase64?: string;
  /** Send image_base64 as application/x-www-form-urlencoded instead of multipart. */
  urlencoded?: boolean;
  /** A raw body instead of the fields above (with its content-type in `headers`). */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** false: send no credential headers. Default ANY_CREDENTIALS. */
  credentials?: Record<string, string> | false;
  path?: string;
  method?: string;
}

export interface PredictAnswer {
  httpCode: number;
  contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields after the spec validation below checked them.
  body: any;
}

/** One call of the endpoint over real HTTP with Node's fetch/FormData/Blob, like a client would make it. */
export async function callPredict(baseUrl: string, call: PredictCall = {}): Promise<PredictAnswer> {
  let body: BodyInit | undefined = call.body;
  if (body === undefined && call.urlencoded) {
    body = new URLSearchParams({ image_base64: call.imageBase64 ?? '' });
  } else if (body === undefined && (call.file || call.imageBase64 !== undefined)) {
    const form = new FormData();
    if (call.file) form.append('file', new Blob([call.file as Uint8Array<ArrayBuffer>]), 'face.jpg');
    if (call.imageBase64 !== undefined) form.append('image_base64', call.imageBase64);
    body = form;
  }
  const response = await fetch(`${baseUrl}${call.path ?? PREDICT_GENDER_PATH}`, {
    method: call.method ?? 'POST',
    headers: { ...(call.credentials === false ? {} : (call.credentials ?? ANY_CREDENTIALS)), ...call.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { httpCode: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text) };
}

/**
 * Asserts what every answer of the mock must be: JSON, valid against the spec's schema for its HTTP code (which
 * also checks the request_id pattern), with the expected status value. Returns the answer for further checks.
 */
export function expectAnswer(answer: PredictAnswer, status: string): PredictAnswer {
  expect(answer.contentType).toMatch(/^application\/json\b/);
  expect(answer.body.status, JSON.stringify(answer.body)).toBe(status);
  expect(specValidators().response(answer.httpCode, answer.body)).toEqual({ valid: true });
  expect(answer.body.request_id).toMatch(/^TID[0-9a-f]{32}$/);
  return answer;
}
