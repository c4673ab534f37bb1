import { newRequestId } from '../../src/request-id.js';
import { errorCatalogue, httpCodeOf, okHttpCode } from '../../src/spec/error-catalogue.js';
import type { AnyResponse, ErrorStatus, StatusValue } from '../../src/types.js';
import type { Answer } from './answer.js';

/**
 * An RFC 9457 problem the mock answers when the test itself asked for something impossible. Its code and media
 * type are ones the vendor never uses, so no test expecting a vendor answer can pass by accident.
 */
export interface MockProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  knownExamples: readonly string[];
}

/** What the journal and the log call a recorded answer whose body has no documented status value. */
export const UNDOCUMENTED_STATUS = 'UNDOCUMENTED';
/** What the journal and the log call a mock problem, beside the vendor's status values. */
export const MOCK_PROBLEM_STATUS = 'MOCK_PROBLEM';
/** 422: a code the vendor never answers (its spec documents 200, 400, 401, 403, 404, 500); Prism uses it too. */
export const MOCK_PROBLEM_HTTP_CODE = 422;
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const MOCK_PROBLEM_TYPE = 'urn:accuauth-kit:problem:unknown-prefer-example';

/** What the journal and the log call a 405 under decision other-methods `method-not-allowed` (no vendor status). */
export const METHOD_NOT_ALLOWED_STATUS = 'METHOD_NOT_ALLOWED';
const METHOD_NOT_ALLOWED_HTTP_CODE = 405;
const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** An answer as HTTP: the vendor's code for its status and the documented JSON body with a fresh request id. */
export type RenderedAnswer = {
  httpCode: number;
  latencyMs: number;
  /** For the journal and the log: the body's status value, MOCK_PROBLEM_STATUS, UNDOCUMENTED or METHOD_NOT_ALLOWED. */
  status: StatusValue | typeof MOCK_PROBLEM_STATUS | typeof UNDOCUMENTED_STATUS | typeof METHOD_NOT_ALLOWED_STATUS;
  /** The body's request id; a mock problem has none (it is not a vendor answer). */
  requestId?: string;
  /** Headers the answer needs besides Content-Type (a 405's Allow). */
  headers?: Readonly<Record<string, string>>;
} & (
  | { contentType: 'application/json'; body: AnyResponse }
  /** A recorded vendor answer, verbatim: typed loosely because the vendor may break its own spec. */
  | { contentType: 'application/json'; body: Readonly<Record<string, unknown>> }
  | { contentType: typeof PROBLEM_CONTENT_TYPE; body: MockProblem }
  /** Not a vendor answer and not JSON: the 405 of decision other-methods `method-not-allowed`. */
  | { contentType: typeof TEXT_CONTENT_TYPE; body: string }
);

/** The body as the bytes' text: JSON for the vendor's answers and mock problems, the text itself otherwise. */
export function renderedBodyText(rendered: RenderedAnswer): string {
  return typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
}

export function renderAnswer(answer: Answer): RenderedAnswer {
  const latencyMs = answer.latencyMs ?? 0;
  if (answer.kind === 'mock-problem') {
    const { title, detail, knownExamples } = answer;
    return {
      httpCode: MOCK_PROBLEM_HTTP_CODE,
      latencyMs,
      status: MOCK_PROBLEM_STATUS,
      contentType: PROBLEM_CONTENT_TYPE,
      body: { type: MOCK_PROBLEM_TYPE, title, status: MOCK_PROBLEM_HTTP_CODE, detail, knownExamples },
    };
  }
  if (answer.kind === 'recorded') return renderRecorded(answer, latencyMs);
  if (answer.kind === 'method-not-allowed') {
    return {
      httpCode: METHOD_NOT_ALLOWED_HTTP_CODE,
      latencyMs,
      status: METHOD_NOT_ALLOWED_STATUS,
      headers: { allow: answer.allow },
      contentType: TEXT_CONTENT_TYPE,
      body: `Method Not Allowed: use ${answer.allow}\n`,
    };
  }
  const requestId = newRequestId();
  if (answer.kind === 'ok') {
    return {
      httpCode: okHttpCode(),
      latencyMs,
      status: 'OK',
      requestId,
      contentType: 'application/json',
      body: { request_id: requestId, status: 'OK', result: answer.result },
    };
  }
  return {
    httpCode: httpCodeOf(answer.status),
    latencyMs,
    status: answer.status,
    requestId,
    contentType: 'application/json',
    body: { status: answer.status, reason: answer.reason, request_id: requestId },
  };
}

/**
 * A recorded answer with a request_id put back where the vendor puts it (first in an OK body, last in an error
 * body, as its doc's samples show); the journal's status is the body's when the spec documents it.
 */
function renderRecorded(answer: Extract<Answer, { kind: 'recorded' }>, latencyMs: number): RenderedAnswer {
  const requestId = answer.requestId ?? newRequestId();
  const { request_id: _replaced, ...rest } = answer.body;
  const body =
    answer.httpCode === okHttpCode() ? { request_id: requestId, ...rest } : { ...rest, request_id: requestId };
  const recorded = rest.status;
  const documented =
    recorded === 'OK' || errorCatalogue().has(recorded as ErrorStatus) ? (recorded as StatusValue) : undefined;
  return {
    httpCode: answer.httpCode,
    latencyMs,
    status: documented ?? UNDOCUMENTED_STATUS,
    requestId,
    contentType: 'application/json',
    body,
  };
}
