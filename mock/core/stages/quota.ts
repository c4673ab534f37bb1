import { errorAnswer } from '../answer.js';
import type { RegisteredKey } from '../config/key-registry.js';
import { type StageResult, stop } from '../stage-result.js';
import type { MockState } from '../state/mock-state.js';

const PASS = { ok: true } as const;

/**
 * Only calls that reach this stage count: calls refused for credentials, rate, body or image do not use quota
 * (we assume the vendor bills calls it processes), and neither do scripted scenario answers.
 */
export async function consumeQuota(key: RegisteredKey | undefined, state: MockState): Promise<StageResult<object>> {
  const quota = key?.config.quota;
  if (key === undefined || quota === undefined) return PASS;
  if (await state.consumeQuota(key.config.id, quota)) return PASS;
  return stop(errorAnswer('OUT_OF_QUOTA', `the quota of ${quota} calls of this API ID is used up`), 'quota');
}
