import type { DecisionChoice } from '../generated/decisions.js';

/** The two readings of face_box's four numbers (decision face-box): `ltrb` the spec's choice, `xywh` the other. */
export type FaceBoxReading = DecisionChoice<'face-box'>;

/** A face box by its edges, in pixels of the image: the one shape every reading is turned into and out of. */
export interface FaceBoxEdges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The vendor doc does not say what face_box's four numbers are; its sample [81, 88, 244, 299] fits both
 * [left, top, right, bottom] and [x, y, width, height]. This module is the one place that reads and writes each:
 * the mock's derived answer, the conformance judge and the drift check's comparisons all go through it.
 */
export function faceBoxEdges(box: readonly [number, number, number, number], reading: FaceBoxReading): FaceBoxEdges {
  const [a, b, c, d] = box;
  return reading === 'xywh'
    ? { left: a, top: b, right: a + c, bottom: b + d }
    : { left: a, top: b, right: c, bottom: d };
}

/** The four numbers that say `edges` under `reading`. */
export function faceBoxAs(edges: FaceBoxEdges, reading: FaceBoxReading): [number, number, number, number] {
  const { left, top, right, bottom } = edges;
  return reading === 'xywh' ? [left, top, right - left, bottom - top] : [left, top, right, bottom];
}
