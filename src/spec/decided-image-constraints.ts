import type { DecisionProfile } from '../generated/decisions.js';
import { decisionCatalogue } from './decision-catalogue.js';
import { type ImageConstraints, imageConstraints } from './image-constraints.js';

/**
 * The image rules under a profile: the one place that turns `max-image-bytes` into a number (the spec's `values`
 * of the decision, so 5,242,880 or 5,000,000 is never typed in code) and `side-limits` into the bounds the
 * inspection checks. The mock's image checks and streaming limits, and the image corpus's expectations, all read it.
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
