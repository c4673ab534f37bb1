import { errorAnswer } from '../answer.js';
import type { FaultConfig, LatencyConfig } from '../config/mock-config.js';
import { type StageResult, stop } from '../stage-result.js';
import type { MockState } from '../state/mock-state.js';
import { delayAtFraction } from './latency-distribution.js';

const PASS = { ok: true } as const;
/** A fault draw is an integer below this, read as a fraction of it. */
const RESOLUTION = 2 ** 30;

/** Injected INTERNAL_ERROR, drawn from the seeded sequence so a run can be repeated. */
export async function injectFault(faults: FaultConfig | undefined, state: MockState): Promise<StageResult<object>> {
  if (!faults || faults.internalErrorRate <= 0) return PASS;
  const draw = (await state.drawInteger(0, RESOLUTION - 1)) / RESOLUTION;
  if (draw >= faults.internalErrorRate) return PASS;
  return stop(errorAnswer('INTERNAL_ERROR', 'injected fault: server processes failed'), 'fault');
}

/**
 * The delay before an answer: fixed, uniform in a range, or drawn from a measured distribution (the one of the
 * answer's status when the profile has one), from the seeded sequence: one draw per answer whatever the form.
 */
export async function latencyOf(
  latency: LatencyConfig | undefined,
  state: MockState,
  status?: string,
): Promise<number> {
  if (!latency) return 0;
  if ('ms' in latency) return latency.ms;
  if ('minMs' in latency) return state.drawInteger(latency.minMs, latency.maxMs);
  const quantiles = (status === undefined ? undefined : latency.byStatus?.[status]) ?? latency.distribution;
  return delayAtFraction(quantiles, (await state.drawInteger(0, RESOLUTION - 1)) / RESOLUTION);
}
