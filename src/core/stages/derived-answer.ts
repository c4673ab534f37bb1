import { predictFromImage } from '../../image/predicted-face.js';
import type { Answer } from '../answer.js';

/** The last stage: a result derived deterministically from the image bytes, so the same image answers the same. */
export function derivedAnswer(imageSha256: string, size: { width: number; height: number }): Answer {
  return { kind: 'ok', result: predictFromImage(imageSha256, size) };
}
