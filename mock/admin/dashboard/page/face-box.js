// @ts-check

/**
 * The two readings of face_box's four numbers, as src/image/face-box.ts has them (the page cannot import from src/
 * at run time; test/mock/dashboard-face-box.test.ts proves the two agree for both readings). The reading in force is
 * the mock's decision face-box, which the page reads from `GET /__admin/config`.
 * @typedef {import('../../../../src/image/face-box.js').FaceBoxReading} FaceBoxReading
 * @typedef {import('../../../../src/image/face-box.js').FaceBoxEdges} FaceBoxEdges
 */

/** What each reading calls the four numbers, as the preview says them. @type {Record<FaceBoxReading, string>} */
export const FACE_BOX_NUMBERS = {
  ltrb: 'left, top, right, bottom',
  xywh: 'x, y, width, height',
};

/**
 * The edges, in pixels of the image, that `box` means under `reading`.
 * @param {readonly [number, number, number, number]} box
 * @param {FaceBoxReading} reading
 * @returns {FaceBoxEdges}
 */
export function faceBoxEdges(box, reading) {
  const [a, b, c, d] = box;
  return reading === 'xywh'
    ? { left: a, top: b, right: a + c, bottom: b + d }
    : { left: a, top: b, right: c, bottom: d };
}

/**
 * The four numbers of an answer's face_box, or undefined when they are not four finite numbers (a recorded vendor
 * answer is replayed as it came, and may break the spec): the page draws nothing rather than a wrong box.
 * @param {unknown} value
 * @returns {[number, number, number, number] | undefined}
 */
export function faceBoxNumbers(value) {
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  if (!value.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return [value[0], value[1], value[2], value[3]];
}
