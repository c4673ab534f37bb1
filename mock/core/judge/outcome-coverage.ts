import { resultVariants } from '../../../src/spec/result-variants.js';
import type { StatusValue } from '../../../src/types.js';
import type { DecidingStage } from '../stage-result.js';
import { NEXT_ANSWER_SCENARIO } from '../stages/scenarios.js';
import type { JournalEntry } from '../state/request-journal.js';
import { documentedOutcomes, type RequiredOutcome, requiredStatuses } from './required-outcomes.js';

/**
 * How an answer was provoked: a `Prefer` header, a configured scenario, an answer queued for the next call, a
 * cassette, the derived answer, or the stage that refused the request itself (credentials, rate limit, quota ...).
 */
export type ProvokedBy = Exclude<DecidingStage, 'scenario'> | 'scenario' | 'next-answer';

/** The ways an image can reach the endpoint, as the journal tells them apart. */
export const INPUT_WAYS = ['multipart file', 'multipart image_base64', 'urlencoded image_base64'] as const;
export type InputWay = (typeof INPUT_WAYS)[number];

/** The OK result's variants a client branches on, each with how many OK answers had it. */
export interface OkVariants {
  gender: Record<string, number>;
  beard: { true: number; false: number };
  /** `confidence` under the vendor's default threshold, and at or above it. */
  confidence: { below: number; atOrAbove: number };
  /** The variants no OK answer had, as `gender=Female`, `beard=true`, `confidence=below`. */
  missing: string[];
}

/** What the client's calls met since the last reset (`GET /__admin/coverage`, `coverage()`). */
export interface CoverageView {
  /** Every answer counted, whatever it was. */
  calls: number;
  /** Documented status value -> how many answers carried it (values never answered are left out). */
  seen: Partial<Record<StatusValue, number>>;
  /** The documented status values (OK and every error) never answered. */
  missing: StatusValue[];
  /** Status value -> how its answers were provoked -> count. */
  provokedBy: Partial<Record<StatusValue, Partial<Record<ProvokedBy, number>>>>;
  okVariants: OkVariants;
  /** How many calls carried their image each way (calls whose body was read). */
  inputWays: Record<InputWay, number>;
  missingInputWays: InputWay[];
  /** Answers that are no documented status value: MOCK_PROBLEM (a bad Prefer), UNDOCUMENTED, METHOD_NOT_ALLOWED. */
  otherAnswers: Record<string, number>;
  /** What the suite must meet (the config's `coverage.require`, or what the caller asked), and what it did not. */
  required: StatusValue[];
  unmet: StatusValue[];
}

/** How the journal entry's answer was provoked. */
export function provokedBy(entry: Pick<JournalEntry, 'decidedBy' | 'scenario'>): ProvokedBy {
  if (entry.decidedBy === 'scenario' && entry.scenario === NEXT_ANSWER_SCENARIO) return 'next-answer';
  return entry.decidedBy;
}

function inputWayOf(body: JournalEntry['body']): InputWay | undefined {
  if (body.field === undefined || body.kind !== 'form') return undefined;
  if (body.contentType === 'urlencoded') return 'urlencoded image_base64';
  return body.field === 'file' ? 'multipart file' : 'multipart image_base64';
}

/**
 * Counts, per documented outcome, how often the client's calls got it: a few map increments per answer, so the
 * request path pays nothing measurable and every call since the last reset counts, not only what the capped
 * journal still holds. Its memory is fixed: one counter per status value, way and variant.
 */
export class OutcomeCoverage {
  private calls = 0;
  private readonly seen = new Map<string, number>();
  private readonly provoked = new Map<string, Map<ProvokedBy, number>>();
  private readonly ways = new Map<InputWay, number>();
  private readonly genders = new Map<string, number>();
  private readonly beard = { true: 0, false: 0 };
  private readonly confidence = { below: 0, atOrAbove: 0 };
  private readonly documented = new Set<string>(documentedOutcomes());

  isEmpty(): boolean {
    return this.calls === 0;
  }

  record(entry: JournalEntry): void {
    this.calls += 1;
    this.seen.set(entry.status, (this.seen.get(entry.status) ?? 0) + 1);
    const way = inputWayOf(entry.body);
    if (way) this.ways.set(way, (this.ways.get(way) ?? 0) + 1);
    if (!this.documented.has(entry.status)) return;
    let byWay = this.provoked.get(entry.status);
    if (!byWay) {
      byWay = new Map();
      this.provoked.set(entry.status, byWay);
    }
    const how = provokedBy(entry);
    byWay.set(how, (byWay.get(how) ?? 0) + 1);
    if (entry.status === 'OK') this.recordResult(entry.answer);
  }

  private recordResult(answer: JournalEntry['answer']): void {
    const result = typeof answer === 'object' && answer !== null ? (answer as { result?: unknown }).result : undefined;
    if (typeof result !== 'object' || result === null) return;
    const { gender, beard, confidence } = result as { gender?: unknown; beard?: unknown; confidence?: unknown };
    if (typeof gender === 'string') this.genders.set(gender, (this.genders.get(gender) ?? 0) + 1);
    if (typeof beard === 'boolean') this.beard[beard ? 'true' : 'false'] += 1;
    if (typeof confidence === 'number') {
      this.confidence[confidence < resultVariants().confidenceThreshold ? 'below' : 'atOrAbove'] += 1;
    }
  }

  view(required: readonly RequiredOutcome[]): CoverageView {
    const seen: CoverageView['seen'] = {};
    const otherAnswers: Record<string, number> = {};
    for (const [status, count] of this.seen) {
      if (this.documented.has(status)) seen[status as StatusValue] = count;
      else otherAnswers[status] = count;
    }
    const missing = documentedOutcomes().filter((status) => !this.seen.has(status));
    const provokedBy: CoverageView['provokedBy'] = {};
    for (const [status, byWay] of this.provoked) provokedBy[status as StatusValue] = Object.fromEntries(byWay);
    const gender: Record<string, number> = {};
    for (const name of resultVariants().genders) gender[name] = this.genders.get(name) ?? 0;
    const variantsMissing = [
      ...Object.entries(gender)
        .filter(([, count]) => count === 0)
        .map(([name]) => `gender=${name}`),
      ...(['true', 'false'] as const).filter((value) => this.beard[value] === 0).map((value) => `beard=${value}`),
      ...(['below', 'atOrAbove'] as const)
        .filter((side) => this.confidence[side] === 0)
        .map((side) => `confidence=${side}`),
    ];
    const inputWays = Object.fromEntries(INPUT_WAYS.map((way) => [way, this.ways.get(way) ?? 0])) as Record<
      InputWay,
      number
    >;
    const statuses = requiredStatuses(required);
    return {
      calls: this.calls,
      seen,
      missing,
      provokedBy,
      okVariants: { gender, beard: { ...this.beard }, confidence: { ...this.confidence }, missing: variantsMissing },
      inputWays,
      missingInputWays: INPUT_WAYS.filter((way) => inputWays[way] === 0),
      otherAnswers,
      required: statuses,
      unmet: statuses.filter((status) => !this.seen.has(status)),
    };
  }
}
