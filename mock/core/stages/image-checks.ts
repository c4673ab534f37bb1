import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { type ImageVerdict, inspectImage, inspectImageThoroughly } from '../../../src/image/image-inspection.js';
import {
  type ImageConstraints,
  type ImageFormat,
  imageConstraints,
  imageMediaTypes,
} from '../../../src/spec/image-constraints.js';
import { errorAnswer, invalidArgument } from '../answer.js';
import { declaredTypeDiagnosis, imageDiagnosis } from '../client-diagnosis.js';
import { type StageResult, stop } from '../stage-result.js';
import type { ImageFacts } from './scenarios.js';

/**
 * Judges the image (format, integrity, sides, size) under the decided constraints (`side-limits` and
 * `max-image-bytes`, made numbers once in decision-profile.ts). Under `image-format: by-content` (the spec's
 * choice) the content alone decides; under `by-declared-type` a `file` part must also declare the media type of its
 * content. An `image_base64` has no declared type, so its content decides under either. Damaged data in an image
 * whose format and size were read is judged by decision corrupt-image: refused as INVALID_ARGUMENT (the spec's
 * choice) or DETECTION_FAILED after every check (a PNG's data inflated too), or accepted, in which case the checks
 * only the damage needs are skipped.
 */
export async function checkImage(
  image: Uint8Array,
  declaredType: string | undefined,
  constraints: ImageConstraints,
  decisions: DecisionProfile,
): Promise<StageResult<{ format: ImageFormat; width: number; height: number }>> {
  const corruptImage = decisions['corrupt-image'];
  const verdict: ImageVerdict =
    corruptImage === 'accept'
      ? inspectImage(image, constraints, { verifyData: false })
      : await inspectImageThoroughly(image, constraints);
  let inspected: { format: ImageFormat; width: number; height: number };
  if (verdict.ok) inspected = verdict;
  else if (verdict.corrupt !== undefined && corruptImage === 'accept') inspected = verdict.corrupt;
  else {
    const diagnosed = imageDiagnosis(verdict.problem, constraints, decisions);
    if (verdict.corrupt !== undefined && corruptImage === 'detection-failed') {
      const answer = errorAnswer('DETECTION_FAILED', `image could not be decoded: ${verdict.reason}`);
      return stop(answer, 'image', diagnosed);
    }
    return stop(invalidArgument(verdict.reason), 'image', diagnosed);
  }
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
        declaredTypeDiagnosis(declaredType, wanted, decisions),
      );
    }
  }
  return { ok: true, format: inspected.format, width: inspected.width, height: inspected.height };
}

/** Any size passes: only what the image is matters here, not whether the vendor's limits allow it. */
const UNBOUNDED = { minSide: 0, maxSide: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY } as const;

/**
 * An image's format and size for the scenarios' conditions, where the image stage did not run (a cassette's image,
 * one the proxy relays: the vendor judges those). Headers only, no data checks: a damaged image whose header reads
 * still has a format and a size. Undefined when neither can be read (not a JPEG or PNG, a broken header).
 */
export function readImageFacts(image: Uint8Array): ImageFacts | undefined {
  const verdict = inspectImage(image, { ...imageConstraints(), ...UNBOUNDED }, { verifyData: false });
  const read = verdict.ok ? verdict : verdict.corrupt;
  return read === undefined ? undefined : { format: read.format, width: read.width, height: read.height };
}
