import { errorAnswer } from './answer.js';
import type { KeyState } from './key-registry.js';
import { type StageResult, stop } from './stage-result.js';

/**
 * Rate limiting comes right after the credentials, before the body is judged: a gateway limits calls, whatever
 * they carry. Refused calls do not fill the window.
 */
export function checkRateLimit(key: KeyState | undefined, nowMs: number): StageResult<object> {
  const limiter = key?.rateLimiter;
  if (!limiter || limiter.tryAcquire(nowMs)) return { ok: true };
  return stop(
    errorAnswer('RATE_LIMIT_EXCEEDED', `more than ${limiter.limit} calls in ${limiter.windowMs} ms for this API ID`),
  );
}
