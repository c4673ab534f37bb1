import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { inspectImage } from '../../../src/image/image-inspection.js';
import { type ImageConstraints, type ImageFormat, imageMediaTypes } from '../../../src/spec/image-constraints.js';
import { invalidArgument } from '../answer.js';
import { type StageResult, stop } from '../stage-result.js';

/**
 * Judges the image (format, integrity, sides, size) under the decided constraints (`side-limits` and
 * `max-image-bytes`, made numbers once in decision-profile.ts). Under `image-format: by-content` (the spec's
 * choice) the content alone decides; under `by-declared-type` a `file` part must also declare the media type of its
 * content. An `image_base64` has no declared type, so its content decides under either.
 */
export function checkImage(
  image: Uint8Array,
  declaredType: string | undefined,
  constraints: ImageConstraints,
  decisions: DecisionProfile,
): StageResult<{ format: ImageFormat; width: number; height: number }> {
  const inspected = inspectImage(image, constraints);
  if (!inspected.ok) return stop(invalidArgument(inspected.reason), 'image');
  if (decisions['image-format'] === 'by-declared-type' && declaredType !== undefined) {
    const declared = (declaredType.split(';')[0] ?? '').trim().toLowerCase();
    // Under decision image-format: by-declared-type, the media type the spec gives the content's format.
    const wanted = imageMediaTypes()[inspected.format];
    if (declared !== wanted) {
      return stop(
        invalidArgument(
          `file is declared ${JSON.stringify(declaredType || '(no type)')} but is a ${inspected.format.toUpperCase()} ` +
            `image; declare the part's Content-Type as ${wanted}`,
        ),
        'image',
      );
    }
  }
  return { ok: true, format: inspected.format, width: inspected.width, height: inspected.height };
}
