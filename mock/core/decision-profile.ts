import type { DecisionProfile } from '../../src/generated/decisions.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';

// The library reads the decided image rules too (the image corpus's expectations), so they live in src.
export { decidedImageConstraints } from '../../src/spec/decided-image-constraints.js';

/**
 * The decisions a mock runs with: the spec's choice for each, overridden by the config's `decisions:` block (the
 * schema already checked every value is one of the decision's alternatives).
 */
export function resolveDecisions(configured: Partial<DecisionProfile> | undefined): DecisionProfile {
  return { ...specDecisionProfile(), ...configured };
}
