import { type FaceBoxEdges, faceBoxEdges } from '../../src/image/face-box.js';
import type { DecisionChoice } from '../../src/spec/decision-catalogue.js';

/**
 * How far a re-sent cassette image's answer may move before it is behavioural drift (a model update): the same
 * photo that was `Male 0.99` is `Female 0.61` today. Status, gender and beard must match exactly; the confidences may
 * move by `confidence`; the face boxes must overlap by at least `minIou` (intersection over union).
 * The defaults of `accuauth-kit drift --tolerance` and `--min-iou`, stated here once.
 */
export interface BehaviourTolerance {
  confidence: number;
  minIou: number;
}

export const DEFAULT_BEHAVIOUR_TOLERANCE: Readonly<BehaviourTolerance> = Object.freeze({
  confidence: 0.05,
  minIou: 0.9,
});

/** One way an answer moved, with both values for the report. */
export interface BehaviourChange {
  field: 'httpCode' | 'status' | 'gender' | 'beard' | 'confidence' | 'beard_confidence' | 'face_box';
  before: unknown;
  after: unknown;
  /** One sentence: what moved and by how much against what tolerance. */
  detail: string;
}

export interface ComparedAnswer {
  httpCode: number;
  body: unknown;
}

/**
 * What changed between the recorded answer and today's answer to the same image, field by field. `faceBox` is the
 * face-box decision in force: a box is turned into corners by it before the overlap is measured, so an [x, y, w, h]
 * box is not compared as if it were [left, top, right, bottom].
 */
export function compareBehaviour(
  before: ComparedAnswer,
  after: ComparedAnswer,
  tolerance: BehaviourTolerance = DEFAULT_BEHAVIOUR_TOLERANCE,
  faceBox: DecisionChoice<'face-box'> = 'ltrb',
): BehaviourChange[] {
  const changes: BehaviourChange[] = [];
  const exact = (field: BehaviourChange['field'], was: unknown, now: unknown) => {
    if (was !== now)
      changes.push({ field, before: was, after: now, detail: `${field} was ${show(was)}, now ${show(now)}` });
  };
  exact('httpCode', before.httpCode, after.httpCode);
  const was = fieldsOf(before.body);
  const now = fieldsOf(after.body);
  exact('status', was.status, now.status);
  const wasResult = fieldsOf(was.result);
  const nowResult = fieldsOf(now.result);
  exact('gender', wasResult.gender, nowResult.gender);
  exact('beard', wasResult.beard, nowResult.beard);
  for (const field of ['confidence', 'beard_confidence'] as const) {
    const a = wasResult[field];
    const b = nowResult[field];
    if (typeof a !== 'number' || typeof b !== 'number') {
      exact(field, a, b);
      continue;
    }
    const moved = Math.abs(b - a);
    // Compared in millionths: the vendor prints six decimals, and 0.95 - 0.9 is not 0.05 in binary floating point.
    if (Math.round(moved * 1e6) > Math.round(tolerance.confidence * 1e6)) {
      changes.push({
        field,
        before: a,
        after: b,
        detail: `${field} moved by ${round(moved)} (${a} -> ${b}), more than the tolerance ${tolerance.confidence}`,
      });
    }
  }
  const boxBefore = wasResult.face_box;
  const boxAfter = nowResult.face_box;
  if (boxBefore !== undefined || boxAfter !== undefined) {
    const overlap = intersectionOverUnion(boxBefore, boxAfter, faceBox);
    if (overlap < tolerance.minIou) {
      changes.push({
        field: 'face_box',
        before: boxBefore,
        after: boxAfter,
        detail: `face_box overlaps the recorded one by IoU ${round(overlap)} (${show(boxBefore)} -> ${show(boxAfter)}), less than ${tolerance.minIou}`,
      });
    }
  }
  return changes;
}

/** Intersection over union of two face boxes read by the face-box decision; 0 when either is not a valid box. */
export function intersectionOverUnion(a: unknown, b: unknown, faceBox: DecisionChoice<'face-box'> = 'ltrb'): number {
  const first = corners(a, faceBox);
  const second = corners(b, faceBox);
  if (!first || !second) return 0;
  const width = Math.min(first.right, second.right) - Math.max(first.left, second.left);
  const height = Math.min(first.bottom, second.bottom) - Math.max(first.top, second.top);
  const intersection = Math.max(0, width) * Math.max(0, height);
  const union = area(first) + area(second) - intersection;
  return union > 0 ? intersection / union : 0;
}

function corners(box: unknown, faceBox: DecisionChoice<'face-box'>): FaceBoxEdges | undefined {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return undefined;
  }
  const found = faceBoxEdges(box as [number, number, number, number], faceBox);
  return found.right > found.left && found.bottom > found.top ? found : undefined;
}

function area(box: FaceBoxEdges): number {
  return (box.right - box.left) * (box.bottom - box.top);
}

function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
