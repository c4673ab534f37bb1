import type { Probe } from '../probes/probe-catalogue.js';
import { faceBoxOf, meetsExpectation, seenOutcome, type TargetAnswer } from './judge-answer.js';

/**
 * Which alternatives of the decision a probe tells (`probe.tells`) its answer is consistent with: those whose
 * expected answers it meets and, for the face-box probe, whose reading of face_box fits inside the uploaded image.
 * Undefined when the probe tells no decision or got no answer. Several alternatives mean this probe alone cannot
 * tell them apart; none means no alternative explains the answer (a contract matter, not a decision).
 */
export function alternativesShown(probe: Probe, answer: TargetAnswer): readonly string[] | undefined {
  const tells = probe.tells;
  if (!tells || answer.kind !== 'answered') return undefined;
  const seen = seenOutcome(answer);
  const byAnswer = Object.entries(tells.expected)
    .filter(([, expected]) => meetsExpectation(seen, expected))
    .map(([alternative]) => alternative);
  const image = tells.faceBoxImage;
  const box = faceBoxOf(answer.body);
  // No face box (a DETECTION_FAILED, say): the answer cannot tell the order.
  if (!image || !box) return byAnswer;
  return byAnswer.filter((alternative) => fitsImage(box, alternative, image));
}

/** Whether the four numbers, read as the alternative says, are a non-empty box inside the image. */
function fitsImage(
  [a, b, c, d]: [number, number, number, number],
  alternative: string,
  image: { width: number; height: number },
): boolean {
  const [left, top, right, bottom] = alternative === 'xywh' ? [a, b, a + c, b + d] : [a, b, c, d];
  return left >= 0 && top >= 0 && right > left && bottom > top && right <= image.width && bottom <= image.height;
}
