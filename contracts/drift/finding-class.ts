/**
 * The kinds of drift finding, each calling for a different response from a team (fix a contract, set a decision,
 * re-record), so reports and their plots can count each kind apart:
 * - `contract`: a fact of the vendor's document broken (HTTP code of a status, body shape, status values,
 *   `request_id` format, content type);
 * - `decision`: the live API answers a case the document is silent on differently from the configured decision;
 * - `behaviour`: the same image gets another prediction than the one recorded;
 * - `latency`: the target's p95 latency over the probes moved beyond `--latency-tolerance` from the history's median
 *   (the vendor's weather, which a team's timeouts and the mock's latency profile depend on).
 */
export const FINDING_CLASSES = ['contract', 'decision', 'behaviour', 'latency'] as const;

/**
 * The classes `--fail-on` fails on unless told: all but `latency`. A slow night is worth a look and a new latency
 * profile, but it is weather, not a broken contract; a team that gates on it names it.
 */
export const DEFAULT_FAIL_ON: readonly FindingClass[] = ['contract', 'decision', 'behaviour'];

export type FindingClass = (typeof FINDING_CLASSES)[number];

/** One finding with its class, as the JSON report records it. */
export interface ClassedFinding {
  class: FindingClass;
  finding: string;
}

/**
 * Findings of one class. The drift check classes each finding where it makes it: comparisons with the spec or the
 * mock's answer are `contract`, a telling probe answered as another alternative is `decision` (decision-drift.ts),
 * a recorded image answered otherwise is `behaviour`.
 */
export function classifyFindings(
  findings: readonly string[],
  findingClass: FindingClass = 'contract',
): ClassedFinding[] {
  return findings.map((finding) => ({ class: findingClass, finding }));
}

/** Parses `--fail-on contract,decision`: the classes named, or why the text names none or an unknown one. */
export function parseFindingClasses(
  text: string,
): { ok: true; classes: FindingClass[] } | { ok: false; reason: string } {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(FINDING_CLASSES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    return {
      ok: false,
      reason: `${unknown.length > 0 ? `unknown class ${unknown.join(', ')}; ` : ''}name one or more of ${FINDING_CLASSES.join(', ')}, comma-separated`,
    };
  }
  return { ok: true, classes: [...new Set(names)] as FindingClass[] };
}
