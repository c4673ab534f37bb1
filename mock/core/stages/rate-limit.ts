import { errorAnswer } from '../answer.js';
import type { RegisteredKey } from '../config/key-registry.js';
import { type StageResult, stop } from '../stage-result.js';
import { type MockState, RATE_WINDOW_MS } from '../state/mock-state.js';

const PASS = { ok: true } as const;

/**
 * Rate limiting comes right after the credentials, before the body is read: a gateway limits calls, whatever
 * they carry. Refused calls do not fill the window. The window itself is running state (`tryAcquireRate`).
 */
export async function checkRateLimit(
  key: RegisteredKey | undefined,
  state: MockState,
  nowMs: number,
): Promise<StageResult<object>> {
  const limit = key?.config.rateLimit;
  if (key === undefined || limit === undefined) return PASS;
  if (await state.tryAcquireRate(key.config.id, limit, nowMs)) return PASS;
  return stop(
    errorAnswer('RATE_LIMIT_EXCEEDED', `more than ${limit} calls in ${RATE_WINDOW_MS} ms for this API ID`),
    'rate-limit',
  );
}
