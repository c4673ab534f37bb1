import type { StatusValue } from '../../src/types.js';
import { isRecord, type TargetAnswer } from '../conformance/judge-answer.js';
import type { ProbeBody } from '../probes/probe-catalogue.js';

/**
 * What Prism, as a validating proxy with `--errors`, made of one request, read from its answer, its log for that
 * request and whether the request reached the upstream:
 * - `refused`: Prism judged the request off-spec and answered it itself (problem+json), without forwarding it;
 * - `forwarded`: the upstream answered; Prism may still have found violations in the request or the response;
 * - `unexplained`: neither, for instance a problem Prism raised without a validation behind it.
 */
export type PrismVerdict =
  | { kind: 'refused'; refusal: string; httpCode: number; detail: string }
  | { kind: 'forwarded'; requestViolations: string[]; responseViolations: string[] }
  | { kind: 'unexplained'; description: string };

const PRISM_PROBLEM = 'https://stoplight.io/prism/errors#';
// With --errors, a response that breaks the spec is replaced by this problem (HTTP 500), and Prism logs no
// `Violation:` line for it; warnings are only logged, as `Violation: response.body ...`.
const VIOLATIONS = 'VIOLATIONS';
const LOGGED_VIOLATION = /Violation: (request|response)\S* (.*)/g;

/**
 * The status value our spec gives the kind of request each Prism refusal stands for: Prism's security check
 * (missing credential headers), its router (a path or method the spec does not have, which our spec answers 404
 * NOT_FOUND) and its request-body validation (wrong content type, no image field). A refusal Prism has that is not
 * here is one the referee does not know how to compare with the probe catalogue, and fails the test.
 */
const REFUSAL_STANDS_FOR: Readonly<Record<string, StatusValue>> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  NO_PATH_MATCHED_ERROR: 'NOT_FOUND',
  NO_METHOD_MATCHED_ERROR: 'NOT_FOUND',
  UNPROCESSABLE_ENTITY: 'INVALID_ARGUMENT',
};

export function statusPrismRefusalStandsFor(refusal: string): StatusValue | undefined {
  return REFUSAL_STANDS_FOR[refusal];
}

/**
 * @param answer what the client got from Prism
 * @param log Prism's output for this request alone
 * @param reachedUpstream whether the request arrived at the upstream (a recording tap tells)
 */
export function prismVerdict(answer: TargetAnswer, log: string, reachedUpstream: boolean): PrismVerdict {
  if (answer.kind === 'no-answer') return { kind: 'unexplained', description: `no answer: ${answer.message}` };
  const logged = [...log.matchAll(LOGGED_VIOLATION)];
  const loggedAbout = (side: string) => logged.filter((match) => match[1] === side).map((match) => match[2] ?? '');
  const problem = prismProblem(answer.body);

  if (reachedUpstream) {
    const replaced = problem?.type === VIOLATIONS ? problem.violations : [];
    const responseViolations = [...replaced, ...loggedAbout('response')];
    return { kind: 'forwarded', requestViolations: loggedAbout('request'), responseViolations };
  }
  if (problem && statusPrismRefusalStandsFor(problem.type) !== undefined) {
    const detail = problem.violations.length > 0 ? problem.violations.join('; ') : problem.title;
    return { kind: 'refused', refusal: problem.type, httpCode: answer.httpCode, detail };
  }
  const what = problem ? `Prism problem ${problem.type} (${problem.title})` : `HTTP ${answer.httpCode}`;
  return { kind: 'unexplained', description: `${what} without reaching the upstream` };
}

interface PrismProblem {
  type: string;
  title: string;
  /** `location: message` of each validation Prism attached. */
  violations: string[];
}

function prismProblem(body: unknown): PrismProblem | undefined {
  if (!isRecord(body) || typeof body.type !== 'string' || !body.type.startsWith(PRISM_PROBLEM)) return undefined;
  const validation = Array.isArray(body.validation) ? body.validation : [];
  const violations = validation.filter(isRecord).map((item) => {
    const location = Array.isArray(item.location) ? item.location.join('.') : '';
    return `${location}${location ? ': ' : ''}${String(item.message)}`;
  });
  return {
    type: body.type.slice(PRISM_PROBLEM.length),
    title: typeof body.title === 'string' ? body.title : '',
    violations,
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether Prism's proxy can forward this body byte for byte. It reads every non-JSON request body as UTF-8 text
 * and forwards that text (micri `text()` in @stoplight/prism-http-server 5.14; stoplightio/prism#2349), so a file
 * part whose bytes are not valid UTF-8 (any real JPEG or PNG) reaches the upstream with U+FFFD in place of them.
 */
export function survivesPrismProxy(body: ProbeBody): boolean {
  if (body.kind !== 'multipart') return true;
  return body.parts.every((part) => {
    if (!('data' in part)) return true;
    try {
      strictUtf8.decode(part.data);
      return true;
    } catch {
      return false;
    }
  });
}
