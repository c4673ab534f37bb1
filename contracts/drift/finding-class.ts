/**
 * The kinds of drift finding, as issue 10 names them, so reports and their plots can count each kind apart:
 * - `contract`: a fact of the vendor's document broken (HTTP code of a status, body shape, status values,
 *   `request_id` format, content type);
 * - `decision`: the live API answers a case the document is silent on differently from the configured decision;
 * - `behaviour`: the same image gets another prediction than the one recorded.
 * Today the check only knows the first; the other two have their place in every report and plot already.
 */
export const FINDING_CLASSES = ['contract', 'decision', 'behaviour'] as const;

export type FindingClass = (typeof FINDING_CLASSES)[number];

/** One finding with its class, as the JSON report records it. */
export interface ClassedFinding {
  class: FindingClass;
  finding: string;
}

/**
 * The class of each of a probe's findings. Every finding the drift check makes today compares an answer with the
 * spec or with the mock's answer to the same request, which is a contract finding; the decision and behaviour
 * checks of issue 10 will class their own findings where they make them.
 */
export function classifyFindings(findings: readonly string[]): ClassedFinding[] {
  return findings.map((finding) => ({ class: 'contract', finding }));
}
