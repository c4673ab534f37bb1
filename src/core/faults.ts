import { errorAnswer } from './answer.js';
import type { FaultConfig, LatencyConfig } from './config/mock-config.js';
import type { SeededRandom } from './seeded-random.js';
import { type StageResult, stop } from './stage-result.js';

/** Injected INTERNAL_ERROR, drawn from the seeded source so a run can be repeated. */
export function injectFault(faults: FaultConfig | undefined, random: SeededRandom): StageResult<object> {
  if (!faults || faults.internalErrorRate <= 0) return { ok: true };
  if (random.next() >= faults.internalErrorRate) return { ok: true };
  return stop(errorAnswer('INTERNAL_ERROR', 'injected fault: server processes failed'));
}

/** The delay before an answer: fixed, or uniform in a range from the seeded source. */
export function latencyOf(latency: LatencyConfig | undefined, random: SeededRandom): number {
  if (!latency) return 0;
  if ('ms' in latency) return latency.ms;
  return random.integer(latency.minMs, latency.maxMs);
}
