import { statusOf, type TargetAnswer } from './judge-answer.js';

/** An answer in a few words, for test messages and summaries: `HTTP 400 INVALID_ARGUMENT`, `no answer (timeout)`. */
export function describeAnswer(answer: TargetAnswer | null): string {
  if (answer === null) return 'not sent';
  if (answer.kind === 'no-answer') return `no answer (${answer.cause})`;
  return `HTTP ${answer.httpCode} ${answer.bodyIsJson ? (statusOf(answer.body) ?? '(no status)') : '(not JSON)'}`;
}
