import type { DecisionProfile } from '../../generated/decisions.js';
import { inspectImage } from '../../image/image-inspection.js';
import type { ImageConstraints, ImageFormat } from '../../spec/image-constraints.js';
import { invalidArgument } from '../answer.js';
import { declaredTypeDiagnosis, imageDiagnosis } from '../client-diagnosis.js';
import { type StageResult, stop } from '../stage-result.js';

/** The media type a `file` part must declare for each format, under decision image-format: by-declared-type. */
const DECLARED_TYPES: Record<ImageFormat, string> = { jpeg: 'image/jpeg', png: 'image/png' };

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
  if (!inspected.ok) {
    return stop(invalidArgument(inspected.reason), 'image', imageDiagnosis(inspected.problem, constraints, decisions));
  }
  if (decisions['image-format'] === 'by-declared-type' && declaredType !== undefined) {
    const declared = (declaredType.split(';')[0] ?? '').trim().toLowerCase();
    const wanted = DECLARED_TYPES[inspected.format];
    if (declared !== wanted) {
      return stop(
        invalidArgument(
          `file is declared ${JSON.stringify(declaredType || '(no type)')} but is a ${inspected.format.toUpperCase()} ` +
            `image; declare the part's Content-Type as ${wanted}`,
        ),
        'image',
        declaredTypeDiagnosis(declaredType, wanted, decisions),
      );
    }
  }
  return { ok: true, format: inspected.format, width: inspected.width, height: inspected.height };
}
