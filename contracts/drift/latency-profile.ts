import { Document } from 'yaml';
import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { type DriftHistory, type Night, quantileOf } from './drift-history.js';

/** Quantiles of a delay in whole ms, as the mock config's `latency.distribution` reads them. */
export interface FittedQuantiles {
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The mock config's `latency:` section of a measured distribution (mock-config.schema.json, `LatencyQuantiles`). */
export interface LatencyProfile {
  distribution: FittedQuantiles;
  byStatus?: Record<string, FittedQuantiles>;
}

/**
 * The fewest answers of one status that get a distribution of their own. Below it, a p99 is one or two samples:
 * noise, not the vendor's weather; those answers still count towards the overall distribution.
 */
export const MIN_ANSWERS_PER_STATUS = 30;

export type LatencyProfileFit =
  | {
      ok: true;
      profile: LatencyProfile;
      target: string;
      /** The nights and answers the profile was fitted from, and the first and last night. */
      nights: number;
      answers: number;
      from: string;
      to: string;
      /** Answers per status value, and whether the status got its own distribution. */
      statuses: { status: string; answers: number; own: boolean }[];
      /** Nights and statuses left out, and why. */
      notes: string[];
    }
  | { ok: false; reason: string; notes: string[] };

/**
 * Fits the target's measured latencies (drift's per-probe latencies of each night of `history`) into the mock's
 * `latency:` config: the empirical min, p50, p95, p99 and max of every answer, and the same per status value for the
 * statuses with at least MIN_ANSWERS_PER_STATUS answers (a refusal without a key is answered faster than an upload
 * is judged, and a team's spinner sees both). Nights that could not check measured an outage, not the weather, and
 * nights of another target (a staging run) would mix two services: both are left out with a note. `target` picks
 * the service; by default the latest night's.
 */
export function fitLatencyProfile(history: DriftHistory, target?: string): LatencyProfileFit {
  const notes = [...history.notes];
  const chosen = target ?? history.nights.at(-1)?.target;
  if (chosen === undefined) return { ok: false, reason: 'the history holds no drift report', notes };
  const nights: Night[] = [];
  for (const night of history.nights) {
    if (night.target !== chosen) notes.push(`skipped ${night.source}: checked another target (${night.target})`);
    else if (night.exitCode === 2) notes.push(`skipped ${night.source}: the check could not run that night`);
    else if (night.answers.length === 0) notes.push(`skipped ${night.source}: no answered probe`);
    else nights.push(night);
  }
  const answers = nights.flatMap((night) => night.answers);
  if (nights.length === 0) {
    return { ok: false, reason: `no night of ${chosen} in the history has answered probes to fit`, notes };
  }
  const documented = new Set<string>(['OK', ...errorCatalogue().keys()]);
  const byStatus = new Map<string, number[]>();
  for (const answer of answers) {
    const status = answer.status ?? '(no status)';
    byStatus.set(status, [...(byStatus.get(status) ?? []), answer.latencyMs]);
  }
  const profile: LatencyProfile = { distribution: quantilesOf(answers.map((answer) => answer.latencyMs)) };
  const statuses: { status: string; answers: number; own: boolean }[] = [];
  for (const [status, latencies] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
    const own = documented.has(status) && latencies.length >= MIN_ANSWERS_PER_STATUS;
    statuses.push({ status, answers: latencies.length, own });
    if (own) {
      profile.byStatus ??= {};
      profile.byStatus[status] = quantilesOf(latencies);
    } else if (!documented.has(status)) {
      notes.push(
        `${status}: ${latencies.length} answers with no documented status; counted in the overall distribution only`,
      );
    }
  }
  return {
    ok: true,
    profile,
    target: chosen,
    nights: nights.length,
    answers: answers.length,
    from: nights[0]?.checkedAt ?? '',
    to: nights.at(-1)?.checkedAt ?? '',
    statuses,
    notes,
  };
}

function quantilesOf(latencies: readonly number[]): FittedQuantiles {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(quantileOf(sorted, fraction));
  return { min: at(0), p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/**
 * The profile as a mock config file holding only `latency:`, with a header saying where it came from: usable as
 * `mock --config latency.yaml`, or its section pasted into the team's config.
 */
export function latencyProfileYaml(fit: Extract<LatencyProfileFit, { ok: true }>): string {
  const document = new Document({ latency: fit.profile });
  const own = fit.statuses.filter((status) => status.own).map((status) => status.status);
  document.commentBefore =
    ` accuauth-kit latency profile of ${fit.target}: fitted by accuauth-kit latency-profile from ${fit.answers} answers\n` +
    ` over ${fit.nights} drift night${fit.nights === 1 ? '' : 's'} (${fit.from} .. ${fit.to}). The mock draws each delay from\n` +
    ` this distribution with its seed (the same seed, the same delays). ${own.length > 0 ? `Statuses with their own: ${own.join(', ')}.` : 'No status had enough answers for its own.'}`;
  return document.toString({ lineWidth: 0 });
}
