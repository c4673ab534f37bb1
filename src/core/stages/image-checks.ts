import { inspectImage } from '../../image/image-inspection.js';
import { type ImageFormat, imageConstraints } from '../../spec/image-constraints.js';
import { invalidArgument } from '../answer.js';
import { type StageResult, stop } from '../stage-result.js';

/** Judges the image by its content (format, integrity, sides, size), as the spec's decisions say. */
export function checkImage(image: Uint8Array): StageResult<{ format: ImageFormat; width: number; height: number }> {
  const inspected = inspectImage(image, imageConstraints());
  if (!inspected.ok) return stop(invalidArgument(inspected.reason), 'image');
  return { ok: true, format: inspected.format, width: inspected.width, height: inspected.height };
}
