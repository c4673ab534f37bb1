import { errorAnswer } from './answer.js';
import type { KeyState } from './key-registry.js';
import { type StageResult, stop } from './stage-result.js';

/**
 * Only calls that reach this stage count: calls refused for credentials, rate, body or image do not use quota
 * (we assume the vendor bills calls it processes), and neither do scripted scenario answers.
 */
export function consumeQuota(key: KeyState | undefined): StageResult<object> {
  const quota = key?.config.quota;
  if (!key || quota === undefined) return { ok: true };
  if (key.callsUsed >= quota) {
    return stop(errorAnswer('OUT_OF_QUOTA', `the quota of ${quota} calls of this API ID is used up`));
  }
  key.callsUsed += 1;
  return { ok: true };
}
