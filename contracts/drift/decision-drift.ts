import type { DecisionName, DecisionProfile } from '../../src/spec/decision-catalogue.js';
import { decisionsShown } from '../conformance/decision-shown.js';
import type { ProbeOutcome } from '../conformance/run-probes.js';

/** A probe whose answer the configured alternative of a decision does not explain, and another one does. */
export interface DecisionTold {
  decision: DecisionName;
  /** The reference mock's alternative (its config's `decisions:`, else the spec's choice). */
  configured: string;
  /** The alternatives the answer is consistent with, in the spec's order; never the configured one. */
  shown: readonly string[];
  /** The sentence the reports carry, classed `decision`. */
  finding: string;
}

/** What the live API showed for one decision across every probe that tells it, when that is not the configured. */
export interface DecisionDrift {
  decision: DecisionName;
  configured: string;
  /** The alternative every telling answer is consistent with (the first, if several are). */
  shown: string;
  /** The probes that tell it. */
  probes: string[];
}

/**
 * The decisions on which the target answered one probe as another alternative would, and not as the configured
 * one. Left out: a probe that agrees with the configured choice or cannot tell (its answer fits several
 * alternatives, the configured among them), and an answer no alternative explains at all, which is then the
 * contract's matter (an answer outside everything the spec allows).
 */
export function decisionsTold(outcome: ProbeOutcome, profile: DecisionProfile): DecisionTold[] {
  return decisionsShown(outcome.probe, outcome.answer).flatMap(({ decision, shown }) => {
    const configured = profile[decision];
    if (shown.length === 0 || shown.includes(configured)) return [];
    return [
      {
        decision,
        configured,
        shown,
        finding:
          `decision ${decision}: answered as ${shown.map((a) => `"${a}"`).join(' or ')} would, not as ` +
          `"${configured}" (the reference mock's choice); probe ${outcome.probe.name} tells`,
      },
    ];
  });
}

/**
 * The decisions on which the target disagrees with the profile: for each, the alternatives consistent with every
 * answer that tells it (an answer that fits no alternative, or no answer, says nothing and is skipped). A decision
 * whose probes point to different alternatives is left out: no one alternative would answer them all.
 */
export function decisionDrifts(outcomes: readonly ProbeOutcome[], profile: DecisionProfile): DecisionDrift[] {
  const byDecision = new Map<
    DecisionName,
    { consistent: readonly string[] | undefined; probes: string[]; disagrees: boolean }
  >();
  for (const outcome of outcomes) {
    for (const { decision, shown } of decisionsShown(outcome.probe, outcome.answer)) {
      if (shown.length === 0) continue;
      const entry = byDecision.get(decision) ?? { consistent: undefined, probes: [], disagrees: false };
      entry.consistent = (entry.consistent ?? shown).filter((alternative) => shown.includes(alternative));
      entry.probes.push(outcome.probe.name);
      entry.disagrees ||= !shown.includes(profile[decision]);
      byDecision.set(decision, entry);
    }
  }
  const drifts: DecisionDrift[] = [];
  for (const [decision, entry] of byDecision) {
    const shown = entry.consistent?.[0];
    if (!entry.disagrees || shown === undefined || shown === profile[decision]) continue;
    drifts.push({ decision, configured: profile[decision], shown, probes: entry.probes });
  }
  return drifts;
}
