import type { DecisionChoice } from '../../../src/generated/decisions.js';
import { faceBoxAs, faceBoxEdges } from '../../../src/image/face-box.js';
import { predictFromImage } from '../../../src/image/predicted-face.js';
import type { Answer } from '../answer.js';

/**
 * The last stage: a result derived deterministically from the image bytes, so the same image answers the same. The
 * face box is worked out as [left, top, right, bottom]; decision face-box `xywh` writes the same box as
 * [x, y, width, height].
 */
export function derivedAnswer(
  imageSha256: string,
  size: { width: number; height: number },
  faceBox: DecisionChoice<'face-box'>,
): Answer {
  const result = predictFromImage(imageSha256, size);
  if (faceBox === 'ltrb') return { kind: 'ok', result };
  // predictFromImage always gives four numbers; the spec's schema types face_box as number[].
  const edges = faceBoxEdges(result.face_box as [number, number, number, number], 'ltrb');
  return { kind: 'ok', result: { ...result, face_box: faceBoxAs(edges, faceBox) } };
}
