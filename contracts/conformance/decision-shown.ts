import { faceBoxEdges } from '../../src/image/face-box.js';
import type { DecisionName } from '../../src/spec/decision-catalogue.js';
import type { Probe } from '../probes/probe-catalogue.js';
import { faceBoxOf, meetsExpectation, seenOutcome, type TargetAnswer } from './judge-answer.js';

/** The alternatives of one decision an answer is consistent with. */
export interface DecisionShown {
  decision: DecisionName;
  /** Several: this answer alone cannot tell them apart; none: no alternative explains it. */
  shown: readonly string[];
}

const FACE_BOX: DecisionName = 'face-box';
const FACE_BOX_READINGS = ['ltrb', 'xywh'] as const;

/**
 * What an answer shows of the decisions: for a probe that tells one (`probe.tells`), the alternatives whose expected
 * answers it meets (and, for the face-box probe, whose reading of face_box fits inside the uploaded image); for any
 * other answer that carries a face box, the readings under which its four numbers are a box at all (a "right" left
 * of "left" is no [left, top, right, bottom]). Empty when the answer shows nothing (no answer, no telling probe).
 */
export function decisionsShown(probe: Probe, answer: TargetAnswer): DecisionShown[] {
  if (answer.kind !== 'answered') return [];
  const shown: DecisionShown[] = [];
  const tells = probe.tells;
  const box = faceBoxOf(answer.body);
  if (tells) {
    const seen = seenOutcome(answer);
    const byAnswer = Object.entries(tells.expected)
      .filter(([, expected]) => meetsExpectation(seen, expected))
      .map(([alternative]) => alternative);
    const image = tells.faceBoxImage;
    // No face box (a DETECTION_FAILED, say): the answer cannot tell the order.
    shown.push({
      decision: tells.decision,
      shown: image && box ? byAnswer.filter((alternative) => fitsImage(box, alternative, image)) : byAnswer,
    });
  }
  if (box && tells?.decision !== FACE_BOX) {
    shown.push({ decision: FACE_BOX, shown: FACE_BOX_READINGS.filter((reading) => fitsImage(box, reading)) });
  }
  return shown;
}

/** The alternatives of `probe.tells`'s decision its answer is consistent with (undefined: it tells none). */
export function alternativesShown(probe: Probe, answer: TargetAnswer): readonly string[] | undefined {
  return decisionsShown(probe, answer).find((entry) => entry.decision === probe.tells?.decision)?.shown;
}

/** Whether the four numbers, read as the alternative says, are a non-empty box (inside the image, when known). */
function fitsImage(
  [a, b, c, d]: [number, number, number, number],
  alternative: string,
  image?: { width: number; height: number },
): boolean {
  const { left, top, right, bottom } = faceBoxEdges([a, b, c, d], alternative === 'xywh' ? 'xywh' : 'ltrb');
  const inside = image === undefined || (right <= image.width && bottom <= image.height);
  return left >= 0 && top >= 0 && right > left && bottom > top && inside;
}
