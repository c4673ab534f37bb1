import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import type { ErrorStatus } from '../../src/types.js';
import { specValidators } from '../../src/validation/spec-validators.js';
import type { ExpectedOutcome } from '../probes/probe-catalogue.js';

/** What a target said to one probe, or why it said nothing. */
export type TargetAnswer =
  | {
      kind: 'answered';
      httpCode: number;
      /** The Content-Type header as sent, or '' when absent. */
      contentType: string;
      /** The parsed JSON body, or the raw text when the body is not JSON. */
      body: unknown;
      bodyIsJson: boolean;
      durationMs: number;
      /**
       * Why the body was not read whole, when it was not: `answer larger than N bytes` (the excerpt is in `body`)
       * or `HTTP 307 redirecting to ORIGIN, not followed`. That sentence is the answer's one spec problem.
       */
      unread?: string;
    }
  | { kind: 'no-answer'; cause: 'timeout' | 'network'; message: string; durationMs: number };

export type Answered = Extract<TargetAnswer, { kind: 'answered' }>;

const JSON_MEDIA_TYPE = 'application/json';

/** The media type of a Content-Type header, without parameters, lower case. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** The `status` field of a JSON body, when it has a string one. */
export function statusOf(body: unknown): string | undefined {
  const status = isRecord(body) ? body.status : undefined;
  return typeof status === 'string' ? status : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The HTTP code the spec gives a status value, or undefined for a value it does not document. */
export function documentedCodeOf(status: string): number | undefined {
  if (status === 'OK') return namedExamples().get('OK')?.httpCode;
  return errorCatalogue().get(status as ErrorStatus)?.httpCode;
}

/**
 * Everything in an answer the spec forbids, whatever was asked: a content type other than JSON, a body that does
 * not match the spec's schema for its HTTP code, a status value the vendor does not document or sent with another
 * HTTP code than the documented one, and a face box that only reads as [x, y, width, height].
 */
export function specProblems(answer: Answered, faceBox: FaceBoxReading = 'ltrb'): string[] {
  if (answer.unread !== undefined) return [answer.unread];
  const problems: string[] = [];
  const mediaType = mediaTypeOf(answer.contentType);
  if (mediaType !== JSON_MEDIA_TYPE) problems.push(`content type ${mediaType || '(none)'} expected ${JSON_MEDIA_TYPE}`);
  if (!answer.bodyIsJson) {
    problems.push(`body is not JSON: ${JSON.stringify(String(answer.body).slice(0, 80))}`);
    return problems;
  }
  const validation = specValidators().response(answer.httpCode, answer.body);
  if (!validation.valid) {
    // An undocumented code's only "error" already names the code.
    const documented = specValidators().documentedCodes.includes(answer.httpCode);
    problems.push(...validation.errors.map((error) => (documented ? `HTTP ${answer.httpCode} ${error}` : error)));
  }

  const status = statusOf(answer.body);
  if (status === undefined) {
    problems.push('the body has no status value');
  } else {
    const documented = documentedCodeOf(status);
    if (documented === undefined) problems.push(`status ${status} is not a documented status value`);
    else if (documented !== answer.httpCode)
      problems.push(`status ${status} is documented with HTTP ${documented}, answered with HTTP ${answer.httpCode}`);
  }
  const requestId = isRecord(answer.body) ? answer.body.request_id : undefined;
  if (requestId !== undefined && !specValidators().schema('RequestId', requestId).valid) {
    problems.push(`request_id ${JSON.stringify(requestId)} does not have the spec's format (TID + 32 hex)`);
  }
  const faceBoxProblem = faceBox === 'any' ? undefined : faceBoxProblemUnder(answer.body, faceBox);
  if (faceBoxProblem) problems.push(faceBoxProblem);
  return problems;
}

/**
 * Our spec reads face_box as [left, top, right, bottom] (a **Decision**: the vendor's sample fits both readings).
 * A box whose right edge is not right of its left edge, or bottom not below top, only makes sense as
 * [x, y, width, height]: that is the sign the vendor disagrees.
 */
export function faceBoxProblem(body: unknown): string | undefined {
  return faceBoxProblemUnder(body, 'ltrb');
}

/**
 * How the judge reads face_box: as the decision face-box's alternative a mock runs with (`ltrb`, the spec's choice,
 * or `xywh`), or `any` when the drift check judges the order itself (a decision, not a contract finding).
 */
export type FaceBoxReading = 'ltrb' | 'xywh' | 'any';

/** The face box of an answer, when it has four numbers. */
export function faceBoxOf(body: unknown): [number, number, number, number] | undefined {
  const result = isRecord(body) ? body.result : undefined;
  const box = isRecord(result) ? result.face_box : undefined;
  if (!Array.isArray(box) || box.length !== 4 || !box.every((n) => typeof n === 'number')) return undefined;
  return box as [number, number, number, number];
}

/** Under `ltrb`, a box whose right is not right of its left only reads as [x, y, width, height]; and conversely. */
function faceBoxProblemUnder(body: unknown, reading: 'ltrb' | 'xywh'): string | undefined {
  const box = faceBoxOf(body);
  if (!box) return undefined;
  const [a, b, c, d] = box;
  if (reading === 'ltrb') {
    if (c > a && d > b) return undefined;
    return `result.face_box [${box.join(', ')}] reads as [x, y, width, height], not [left, top, right, bottom]`;
  }
  if (c > 0 && d > 0) return undefined;
  return `result.face_box [${box.join(', ')}] has no width or height, so it does not read as [x, y, width, height]`;
}

/** The HTTP code and status value of an answer. */
export interface SeenOutcome {
  httpCode: number;
  status: string | undefined;
  reason: string | undefined;
}

export function seenOutcome(answer: Answered): SeenOutcome {
  const reason = isRecord(answer.body) ? answer.body.reason : undefined;
  return {
    httpCode: answer.httpCode,
    status: statusOf(answer.body),
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

/** The undocumented answer (a decision's 405) among `expected` that `seen` is, if any. */
export function meetsUndocumented(seen: SeenOutcome, expected: readonly ExpectedOutcome[]): boolean {
  return expected.some((want) => want.undocumented === true && want.httpCode === seen.httpCode);
}

export function meetsExpectation(seen: SeenOutcome, expected: readonly ExpectedOutcome[]): boolean {
  if (meetsUndocumented(seen, expected)) return true;
  return expected.some(
    (want) =>
      want.httpCode === seen.httpCode &&
      want.status === seen.status &&
      (want.reason === undefined || want.reason === seen.reason),
  );
}

/**
 * How an answer differs from the allowed ones, in the words reports use: `HTTP 403 expected 401`,
 * `status DETECTION_FAILED expected INVALID_ARGUMENT`, `reason "..." expected "..."`. Empty when it meets them.
 */
export function expectationProblems(seen: SeenOutcome, expected: readonly ExpectedOutcome[]): string[] {
  if (meetsExpectation(seen, expected)) return [];
  const problems: string[] = [];
  const codes = [...new Set(expected.map((want) => want.httpCode))];
  if (!codes.includes(seen.httpCode)) problems.push(`HTTP ${seen.httpCode} expected ${codes.join(' or ')}`);
  const statuses: string[] = [...new Set(expected.flatMap((want) => (want.status === undefined ? [] : [want.status])))];
  if (seen.status !== undefined && statuses.length > 0 && !statuses.includes(seen.status)) {
    problems.push(`status ${seen.status} expected ${statuses.join(' or ')}`);
  }
  const sameOutcome = expected.find((want) => want.httpCode === seen.httpCode && want.status === seen.status);
  if (sameOutcome?.reason !== undefined && sameOutcome.reason !== seen.reason) {
    problems.push(`reason ${JSON.stringify(seen.reason ?? null)} expected ${JSON.stringify(sameOutcome.reason)}`);
  }
  if (problems.length === 0)
    problems.push(`HTTP ${seen.httpCode} status ${seen.status ?? '(none)'} is not an expected answer`);
  return problems;
}
