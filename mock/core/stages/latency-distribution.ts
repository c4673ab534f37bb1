import type { LatencyConfig } from '../config/mock-config.js';

/** The quantiles of a measured delay, as the config's `latency.distribution` holds them (ms). */
export type LatencyQuantiles = Extract<LatencyConfig, { distribution: unknown }>['distribution'];

/**
 * The cumulative probabilities the config names, in order. A measured profile gives a handful of quantiles, not a
 * formula; linear interpolation between them is the distribution that assumes least beyond what was measured, and
 * its quantiles at 0.5, 0.95 and 0.99 are exactly the profile's.
 */
const KNOTS = [
  { at: 0, key: 'min' },
  { at: 0.5, key: 'p50' },
  { at: 0.95, key: 'p95' },
  { at: 0.99, key: 'p99' },
  { at: 1, key: 'max' },
] as const;

type Knot = (typeof KNOTS)[number];

function msAt(quantiles: LatencyQuantiles, key: Knot['key']): number {
  return key === 'min' ? (quantiles.min ?? 0) : quantiles[key];
}

/**
 * The delay at cumulative probability `fraction` (0 <= fraction < 1): the inverse CDF of the piecewise-linear
 * distribution through (0, min), (0.5, p50), (0.95, p95), (0.99, p99), (1, max), rounded to whole ms. Fed a seeded
 * uniform draw, it samples the distribution reproducibly.
 */
export function delayAtFraction(quantiles: LatencyQuantiles, fraction: number): number {
  const value = (key: Knot['key']) => msAt(quantiles, key);
  for (let index = 1; index < KNOTS.length; index += 1) {
    const upper = KNOTS[index] as Knot;
    if (fraction > upper.at && index < KNOTS.length - 1) continue;
    const lower = KNOTS[index - 1] as Knot;
    const share = (fraction - lower.at) / (upper.at - lower.at);
    const low = value(lower.key);
    return Math.round(low + share * (value(upper.key) - low));
  }
  return quantiles.max;
}

/** Why quantiles cannot be sampled (one smaller than the one before it), or undefined when they can. */
export function disorderedQuantiles(quantiles: LatencyQuantiles): string | undefined {
  let previous: { key: string; ms: number } = { key: 'min', ms: msAt(quantiles, 'min') };
  for (const { key } of KNOTS.slice(1)) {
    const ms = msAt(quantiles, key);
    if (ms < previous.ms) return `${key} (${ms}) must not be smaller than ${previous.key} (${previous.ms})`;
    previous = { key, ms };
  }
  return undefined;
}
