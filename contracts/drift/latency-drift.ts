import type { DriftHistory } from './drift-history.js';
import { median, quantileOf } from './drift-history.js';
import type { ProbeDrift } from './drift-report-types.js';

/** `drift --latency-tolerance`'s default: the p95 may move by half the history's median before it is a finding. */
export const DEFAULT_LATENCY_TOLERANCE = 0.5;

/** How the latency entry is named in the reports, beside the probes and the cassette images. */
export const LATENCY_ENTRY = 'latency: p95 over the probes';

const CHECKS =
  "the target's p95 latency over the probes stays within --latency-tolerance of the history's median p95 " +
  '(latency: a slower or faster vendor shows here; refit the mock with accuauth-kit latency-profile)';

export interface LatencyDriftOptions {
  /** Tonight's per-probe latencies of the answered probes, in ms. */
  latencies: readonly number[];
  /** The earlier nights of the same target (a night that could not check measured an outage, not the weather). */
  history: DriftHistory;
  target: string;
  tolerance: number;
}

/**
 * The `latency` finding: tonight's p95 against the median of the earlier nights' p95s (a median, so one stormy
 * night in the history does not move the reference). Undefined when there is nothing to compare: no answered probe
 * tonight, or no earlier night of this target with latencies. The entry's own latency is null: it is a summary of
 * the probes, and the next night's history must not count it as one.
 */
export function latencyDrift(options: LatencyDriftOptions): ProbeDrift | undefined {
  if (options.latencies.length === 0) return undefined;
  const earlier = options.history.nights
    .filter((night) => night.target === options.target && night.exitCode !== 2)
    .flatMap((night) => (night.latencyP95Ms === null ? [] : [night.latencyP95Ms]))
    .sort((a, b) => a - b);
  const reference = median(earlier);
  if (reference === null) return undefined;
  const tonight = quantileOf(
    [...options.latencies].sort((a, b) => a - b),
    0.95,
  );
  const moved = reference === 0 ? (tonight === 0 ? 0 : Number.POSITIVE_INFINITY) : (tonight - reference) / reference;
  const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;
  const summary =
    `p95 ${Math.round(tonight)} ms over ${options.latencies.length} answered probes; the median p95 of ` +
    `${earlier.length} earlier night${earlier.length === 1 ? '' : 's'} is ${Math.round(reference)} ms`;
  const findings =
    Math.abs(moved) > options.tolerance
      ? [
          `${summary}: ${moved > 0 ? 'slower' : 'faster'} by ${Number.isFinite(moved) ? percent(Math.abs(moved)) : 'more than any tolerance'}, beyond --latency-tolerance ${options.tolerance} (${percent(options.tolerance)}); clients' timeouts and the mock's latency profile may need a look`,
        ]
      : [];
  return {
    probe: LATENCY_ENTRY,
    checks: CHECKS,
    decisions: [],
    spendsQuota: false,
    findings,
    classedFindings: findings.map((finding) => ({ class: 'latency', finding })),
    request: { method: '-', path: '-', credentials: '-', body: `(no request of its own: ${summary})` },
    latencyMs: null,
    target: { kind: 'no-answer', cause: 'network', message: `not a request: ${summary}`, durationMs: 0 },
    mock: null,
    mockProblems: [],
  };
}
