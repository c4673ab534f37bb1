import { newRequestId } from '../request-id.js';
import { httpCodeOf } from '../spec/error-catalogue.js';
import type { AnyResponse } from '../types.js';
import type { Answer } from './answer.js';

/** An answer as HTTP: the vendor's code for its status and the documented JSON body with a fresh request id. */
export interface RenderedAnswer {
  httpCode: number;
  body: AnyResponse;
  latencyMs: number;
}

/** The HTTP code of a 200, the one code the error catalogue does not hold. */
const OK_CODE = 200;

export function renderAnswer(answer: Answer): RenderedAnswer {
  const latencyMs = answer.latencyMs ?? 0;
  if (answer.kind === 'ok') {
    return { httpCode: OK_CODE, body: { request_id: newRequestId(), status: 'OK', result: answer.result }, latencyMs };
  }
  return {
    httpCode: httpCodeOf(answer.status),
    body: { status: answer.status, reason: answer.reason, request_id: newRequestId() },
    latencyMs,
  };
}
