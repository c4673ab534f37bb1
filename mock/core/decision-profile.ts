import type { DecisionProfile } from '../../src/generated/decisions.js';
import { decisionCatalogue, specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { type ImageConstraints, imageConstraints } from '../../src/spec/image-constraints.js';

/**
 * The decisions a mock runs with: the spec's choice for each, overridden by the config's `decisions:` block (the
 * schema already checked every value is one of the decision's alternatives).
 */
export function resolveDecisions(configured: Partial<DecisionProfile> | undefined): DecisionProfile {
  return { ...specDecisionProfile(), ...configured };
}

/**
 * The image rules under a profile: the one place that turns `max-image-bytes` into a number (the spec's `values`
 * of the decision, so 5,242,880 or 5,000,000 is never typed in code) and `side-limits` into the bounds the
 * inspection checks. The image checks and the adapters' streaming limits (body-limits.ts) both read it.
 */
export function decidedImageConstraints(profile: DecisionProfile): ImageConstraints {
  const spec = imageConstraints();
  const maxBytes = decisionCatalogue().get('max-image-bytes')?.values?.get(profile['max-image-bytes']);
  if (maxBytes === undefined)
    throw new Error(`x-decisions.max-image-bytes has no value for ${profile['max-image-bytes']}`);
  // Exclusive bounds on whole pixels: strictly between 128 and 6000 is 129..5999.
  const exclusive = profile['side-limits'] === 'exclusive';
  return {
    ...spec,
    minSide: exclusive ? spec.minSide + 1 : spec.minSide,
    maxSide: exclusive ? spec.maxSide - 1 : spec.maxSide,
    maxBytes,
  };
}
