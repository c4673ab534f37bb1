import { specValidators } from '../../src/validation/spec-validators.js';
import { type Answer, TEST_SECRET } from './predict-request.js';

/** Pass as the expected status where any documented status will do (the test then counts or compares them). */
export const ANY_STATUS = Symbol('any documented status');

/** The status the answer must carry, one of several, or ANY_STATUS. */
export type Expected = string | readonly string[] | typeof ANY_STATUS;

export interface AnswerRules {
  /** The HTTP code the answer must have (checked first); by default any the spec documents for the status. */
  httpCode?: number;
  /** Values that must never appear in the answer, beyond TEST_SECRET (which never may). */
  secrets?: readonly string[];
  /** A 5xx is a problem unless the test expects its status by name or allows it here (a scripted fault). */
  allow5xx?: boolean;
}

export interface DocumentedBody {
  status: string;
  reason?: string;
  request_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the result's fields after the spec validation checked them.
  result?: any;
}

/**
 * The rule every answer of the mock obeys, however hostile the request: a documented HTTP code with a JSON body
 * that validates against the spec's schema for that code (so a documented status value, and a `TID` + 32 hex
 * request_id), with the expected status, never a 5xx unless expected or allowed, never an echo of a secret.
 * Returns the problems found, empty when the answer is fine, so a test can print all of them at once.
 */
function answerProblems(answer: Answer, expected: Expected, rules: AnswerRules = {}): string[] {
  const problems: string[] = [];
  const validators = specValidators();
  const expectedStatuses = expected === ANY_STATUS ? undefined : typeof expected === 'string' ? [expected] : expected;
  if (rules.httpCode !== undefined && answer.httpCode !== rules.httpCode) {
    problems.push(`HTTP ${answer.httpCode}, expected ${rules.httpCode}`);
  }
  if (!validators.documentedCodes.includes(answer.httpCode)) {
    problems.push(`HTTP ${answer.httpCode} is not documented (${validators.documentedCodes.join(', ')})`);
  }
  const contentType = answer.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/json')) problems.push(`content-type is "${contentType}", not JSON`);
  for (const secret of [TEST_SECRET, ...(rules.secrets ?? [])]) {
    if (
      secret !== '' &&
      (answer.text.includes(secret) || Object.values(answer.headers).some((v) => v.includes(secret)))
    )
      problems.push('the answer echoes the secret');
  }
  let body: { status?: unknown; request_id?: unknown };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    problems.push(`body is not JSON: ${answer.text.slice(0, 200)}`);
    return problems;
  }
  const validation = validators.response(answer.httpCode, body);
  if (!validation.valid) problems.push(...validation.errors.map((e) => `HTTP ${answer.httpCode}: ${e}`));
  if (typeof body?.request_id !== 'string' || !/^TID[0-9a-f]{32}$/.test(body.request_id)) {
    problems.push(`request_id ${JSON.stringify(body?.request_id)} is not TID + 32 hex`);
  }
  const status = String(body?.status);
  if (expectedStatuses && !expectedStatuses.includes(status)) {
    problems.push(`status ${status}, expected ${expectedStatuses.join(' or ')}`);
  }
  if (answer.httpCode >= 500 && !rules.allow5xx && !expectedStatuses?.includes(status)) {
    problems.push(`HTTP ${answer.httpCode} without a scripted fault`);
  }
  return problems;
}

/**
 * Asserts that `answer` is a documented answer with the expected status (or one of them), following `rules`;
 * throws with every problem and the answer itself when it is not. Returns the parsed body.
 */
export function expectAnswer(answer: Answer, expected: Expected, rules: AnswerRules = {}): DocumentedBody {
  const problems = answerProblems(answer, expected, rules);
  if (problems.length > 0) {
    throw new Error(
      `undocumented answer:\n- ${problems.join('\n- ')}\nanswer: HTTP ${answer.httpCode} ${answer.text.slice(0, 500)}`,
    );
  }
  return JSON.parse(answer.text) as DocumentedBody;
}
