import { inspectImage } from '../../image/image-inspection.js';
import { imageConstraints } from '../../spec/image-constraints.js';
import { invalidArgument } from '../answer.js';
import { type StageResult, stop } from '../stage-result.js';

/** Judges the image by its content (format, integrity, sides, size), as the spec's decisions say. */
export function checkImage(image: Uint8Array): StageResult<{ width: number; height: number }> {
  const inspected = inspectImage(image, imageConstraints());
  if (!inspected.ok) return stop(invalidArgument(inspected.reason));
  return { ok: true, width: inspected.width, height: inspected.height };
}
