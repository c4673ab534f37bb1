import { specValidators } from '../../src/validation/spec-validators.js';

/** An HTTP answer as bytes, whether it came from fetch or from a raw socket (test/support/raw-http.ts). */
export interface RawAnswer {
  httpCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface AnswerRules {
  /** Values that must never appear in the answer (the X-DF-API-SECRET sent). */
  secrets?: readonly string[];
  /** Only a scripted fault may answer 5xx. */
  allow5xx?: boolean;
}

export interface DocumentedBody {
  status: string;
  reason?: string;
  request_id: string;
  result?: unknown;
}

/**
 * The rule every answer of the mock obeys, however hostile the request: a documented HTTP code with a JSON body
 * that validates against the spec's schema for that code (so a documented status value, and a `TID` + 32 hex
 * request_id), never a 5xx unless a fault was scripted, never an echo of a secret. Returns the problems found,
 * empty when the answer is fine, so a test can print all of them at once.
 */
export function answerProblems(answer: RawAnswer, rules: AnswerRules = {}): string[] {
  const problems: string[] = [];
  const validators = specValidators();
  if (!validators.documentedCodes.includes(answer.httpCode)) {
    problems.push(`HTTP ${answer.httpCode} is not documented (${validators.documentedCodes.join(', ')})`);
  }
  if (answer.httpCode >= 500 && !rules.allow5xx) problems.push(`HTTP ${answer.httpCode} without a scripted fault`);
  const contentType = answer.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/json')) problems.push(`content-type is "${contentType}", not JSON`);
  for (const secret of rules.secrets ?? []) {
    if (
      secret !== '' &&
      (answer.body.includes(secret) || Object.values(answer.headers).some((v) => v.includes(secret)))
    )
      problems.push('the answer echoes the secret');
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    problems.push(`body is not JSON: ${answer.body.slice(0, 200)}`);
    return problems;
  }
  const validation = validators.response(answer.httpCode, body);
  if (!validation.valid) problems.push(...validation.errors.map((e) => `HTTP ${answer.httpCode}: ${e}`));
  return problems;
}

/** Throws with every problem and the answer itself when `answer` breaks the rule; returns its parsed body. */
export function assertDocumentedAnswer(answer: RawAnswer, rules: AnswerRules = {}): DocumentedBody {
  const problems = answerProblems(answer, rules);
  if (problems.length > 0) {
    throw new Error(
      `undocumented answer:\n- ${problems.join('\n- ')}\nanswer: HTTP ${answer.httpCode} ${answer.body.slice(0, 500)}`,
    );
  }
  return JSON.parse(answer.body) as DocumentedBody;
}

/** Reads a fetch Response whole into a RawAnswer. */
export async function readAnswer(response: Response): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { httpCode: response.status, headers, body: await response.text() };
}
