import {
  expectationProblems,
  mediaTypeOf,
  meetsExpectation,
  meetsUndocumented,
  seenOutcome,
} from '../conformance/judge-answer.js';
import type { ProbeOutcome } from '../conformance/run-probes.js';
import type { ExpectedOutcome } from '../probes/probe-catalogue.js';
import { compareBodyShapes } from './compare-body-shapes.js';

/**
 * Everything that makes the target's answer to one probe drift from the spec and from the mock's answer to the same
 * probe: the target's spec violations, then its HTTP code and status value, content type and body shape against the
 * mock's. The same sentence is never listed twice (a target that breaks the spec and differs from the mock in the
 * same way is reported once).
 *
 * An answer the probe allows is no drift even when the mock chose another: our synthetic faces may well be
 * DETECTION_FAILED live and OK in the mock, and both are the spec's answers to "is this image accepted?".
 */
export function compareAnswers(
  target: ProbeOutcome,
  mock: ProbeOutcome,
  /**
   * The answers to hold the target to, when not the probe's: the drift check passes those of the alternative a
   * telling probe showed, so that the decision is one `decision` finding and only what else differs is `contract`.
   */
  expectedOverride?: readonly ExpectedOutcome[],
): string[] {
  const targetAnswer = target.answer;
  const mockAnswer = mock.answer;
  if (targetAnswer.kind !== 'answered') return [...target.specProblems];

  const seen = seenOutcome(targetAnswer);
  const expected = expectedOverride ?? target.probe.expected;
  // An answer an alternative predicts outside the vendor's document (the 405 of other-methods) is not held to the
  // spec's content type and body, nor to the mock's JSON.
  if (meetsUndocumented(seen, expected)) return [];
  const findings = new Set<string>(target.specProblems);
  if (!meetsExpectation(seen, expected)) {
    // Word the difference against the mock's answer when the probe allows it (it is the more precise one: one
    // HTTP code and status rather than a choice), against the spec otherwise.
    const mockSeen = mockAnswer.kind === 'answered' ? seenOutcome(mockAnswer) : undefined;
    const mockChoice = expected.find((want) => want.httpCode === mockSeen?.httpCode && want.status === mockSeen.status);
    for (const problem of expectationProblems(seen, mockChoice ? [mockChoice] : expected)) findings.add(problem);
  }
  if (mockAnswer.kind !== 'answered') return [...findings];

  const targetMedia = mediaTypeOf(targetAnswer.contentType);
  const mockMedia = mediaTypeOf(mockAnswer.contentType);
  if (targetMedia !== mockMedia) findings.add(`content type ${targetMedia || '(none)'} expected ${mockMedia}`);
  if (targetAnswer.httpCode === mockAnswer.httpCode && targetAnswer.bodyIsJson && mockAnswer.bodyIsJson) {
    for (const difference of compareBodyShapes(targetAnswer.body, mockAnswer.body)) findings.add(difference);
  }
  return [...findings];
}
