import { errorCatalogue } from '../spec/error-catalogue.js';
import type {
  BadRequestError,
  ErrorResponse,
  ErrorStatus,
  ForbiddenError,
  InternalError,
  NotFoundError,
  UnauthorizedError,
} from '../types.js';
import { type ErrorFamily, errorFamilies } from './error-families.js';

/**
 * The root of every error the client throws, so callers can tell the client's failures from their own bugs.
 * Messages never carry the API secret: the client redacts the texts it receives before they get here, and
 * no error holds the request or its headers.
 */
export class AccuAuthError extends Error {
  override name = 'AccuAuthError';

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

/** A documented error answer of the API: `{status, reason, request_id}` with the HTTP code the spec gives it. */
export class AccuAuthApiError<S extends ErrorStatus = ErrorStatus> extends AccuAuthError {
  override name = 'AccuAuthApiError';
  /** The status value, for example `OUT_OF_QUOTA`. */
  readonly status: S;
  readonly reason: string;
  readonly requestId: string;
  readonly httpCode: number;

  constructor(body: ErrorResponse & { status: S }, httpCode: number) {
    super(`${body.status} (HTTP ${httpCode}): ${body.reason} [request_id ${body.request_id}]`);
    this.status = body.status;
    this.reason = body.reason;
    this.requestId = body.request_id;
    this.httpCode = httpCode;
  }

  override toJSON(): Record<string, unknown> {
    const { name, status, reason, requestId, httpCode } = this;
    return { name, status, reason, requestId, httpCode };
  }
}

/** HTTP 400: INVALID_ARGUMENT, DETECTION_FAILED or DOWNLOAD_ERROR. */
export class AccuAuthBadRequestError extends AccuAuthApiError<BadRequestError['status']> {
  override name = 'AccuAuthBadRequestError';
}

/** HTTP 401: UNAUTHORIZED or KEY_EXPIRED. */
export class AccuAuthUnauthorizedError extends AccuAuthApiError<UnauthorizedError['status']> {
  override name = 'AccuAuthUnauthorizedError';
}

/** HTTP 403: NO_PERMISSION, OUT_OF_QUOTA or RATE_LIMIT_EXCEEDED. */
export class AccuAuthForbiddenError extends AccuAuthApiError<ForbiddenError['status']> {
  override name = 'AccuAuthForbiddenError';
}

/** HTTP 404: NOT_FOUND. */
export class AccuAuthNotFoundError extends AccuAuthApiError<NotFoundError['status']> {
  override name = 'AccuAuthNotFoundError';
}

/** HTTP 500: INTERNAL_ERROR. */
export class AccuAuthInternalError extends AccuAuthApiError<InternalError['status']> {
  override name = 'AccuAuthInternalError';
}

/** No complete answer arrived within `timeoutMs` (per attempt). */
export class AccuAuthTimeoutError extends AccuAuthError {
  override name = 'AccuAuthTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`no answer from the AccuAuth API within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** The request never got an HTTP answer: refused connection, reset, DNS failure. `cause` holds fetch's error. */
export class AccuAuthNetworkError extends AccuAuthError {
  override name = 'AccuAuthNetworkError';
}

/**
 * `redirect`: a 3xx, never followed (the key would go along to the Location); `too-large`: an answer past
 * `maxAnswerBytes`, not read further.
 */
export type ResponseProblem = 'not-json' | 'undocumented-code' | 'not-as-specified' | 'redirect' | 'too-large';

/**
 * An HTTP answer the spec does not allow: a body that is not JSON, an HTTP code the spec does not document, a
 * body that does not match the schema of its code, a redirect, or a body larger than the client reads. Carries the validator's findings so a drift is easy to read.
 */
export class AccuAuthResponseError extends AccuAuthError {
  override name = 'AccuAuthResponseError';
  readonly problem: ResponseProblem;
  readonly httpCode: number;
  readonly details: readonly string[];

  constructor(problem: ResponseProblem, httpCode: number, details: readonly string[]) {
    super(`HTTP ${httpCode} answer is not as the spec says (${problem}): ${details.join('; ')}`);
    this.problem = problem;
    this.httpCode = httpCode;
    this.details = details;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problem: this.problem, httpCode: this.httpCode, details: this.details };
  }
}

// One class per family, keyed by the spec's schema name; `satisfies` makes a family without a class a type error.
const CLASS_OF_FAMILY = {
  BadRequestError: AccuAuthBadRequestError,
  UnauthorizedError: AccuAuthUnauthorizedError,
  ForbiddenError: AccuAuthForbiddenError,
  NotFoundError: AccuAuthNotFoundError,
  InternalError: AccuAuthInternalError,
} satisfies Record<ErrorFamily, unknown>;

/**
 * The error to throw for a documented error body: its status value's HTTP code comes from the spec's error
 * catalogue, and that code's family (its response schema) picks the class.
 */
export function apiErrorFor(body: ErrorResponse): AccuAuthApiError {
  const httpCode = errorCatalogue().get(body.status)?.httpCode;
  const family = httpCode === undefined ? undefined : errorFamilies().get(httpCode);
  if (httpCode === undefined || family === undefined) {
    // Only reachable if the spec's catalogue and its responses disagree; the spec tests guard against that.
    throw new Error(`the spec has no error family for status ${body.status}`);
  }
  const ErrorClass = CLASS_OF_FAMILY[family] as new (body: ErrorResponse, httpCode: number) => AccuAuthApiError;
  return new ErrorClass(body, httpCode);
}
