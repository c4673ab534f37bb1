import { newRequestId } from '../request-id.js';
import { httpCodeOf, okHttpCode } from '../spec/error-catalogue.js';
import type { AnyResponse } from '../types.js';
import type { Answer } from './answer.js';

/** An answer as HTTP: the vendor's code for its status and the documented JSON body with a fresh request id. */
export interface RenderedAnswer {
  httpCode: number;
  body: AnyResponse;
  latencyMs: number;
}

export function renderAnswer(answer: Answer): RenderedAnswer {
  const latencyMs = answer.latencyMs ?? 0;
  if (answer.kind === 'ok') {
    return {
      httpCode: okHttpCode(),
      body: { request_id: newRequestId(), status: 'OK', result: answer.result },
      latencyMs,
    };
  }
  return {
    httpCode: httpCodeOf(answer.status),
    body: { status: answer.status, reason: answer.reason, request_id: newRequestId() },
    latencyMs,
  };
}
