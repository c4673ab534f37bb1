import { computeOnce } from '../compute-once.js';
import { loadSpec, predictGenderOperation, type SpecDocument } from './spec-document.js';

export type ImageFormat = 'jpeg' | 'png';

/** The vendor's image rules, as the spec's `x-image-constraints` states them. */
export interface ImageConstraints {
  formats: readonly ImageFormat[];
  /** Smallest allowed width and height, in pixels, inclusive. */
  minSide: number;
  /** Largest allowed width and height, in pixels, inclusive. */
  maxSide: number;
  /** Largest allowed image, in bytes (of the decoded image for image_base64). */
  maxBytes: number;
}

export function readImageConstraints(spec: SpecDocument = loadSpec()): ImageConstraints {
  const raw = predictGenderOperation(spec)['x-image-constraints'] as Partial<ImageConstraints> | undefined;
  const { formats, minSide, maxSide, maxBytes } = raw ?? {};
  const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
  if (
    !Array.isArray(formats) ||
    !formats.every((f) => f === 'jpeg' || f === 'png') ||
    !isCount(minSide) ||
    !isCount(maxSide) ||
    !isCount(maxBytes) ||
    minSide > maxSide
  ) {
    throw new Error('the spec\'s x-image-constraints must be {formats: ("jpeg"|"png")[], minSide, maxSide, maxBytes}');
  }
  return Object.freeze({ formats: Object.freeze([...formats]), minSide, maxSide, maxBytes });
}

/** The constraints of the packaged spec, read once. */
export const imageConstraints = computeOnce(() => readImageConstraints());

/**
 * The media type of each image format, read from the spec's multipart `encoding` of `file`
 * (`contentType: image/jpeg, image/png`): the image checks, the admin API's previews and the probes all read it here.
 */
export function readImageMediaTypes(spec: SpecDocument = loadSpec()): Readonly<Record<ImageFormat, string>> {
  const body = predictGenderOperation(spec).requestBody as
    | { content?: Record<string, { encoding?: Record<string, { contentType?: string }> }> }
    | undefined;
  const listed = body?.content?.['multipart/form-data']?.encoding?.file?.contentType ?? '';
  const types = listed.split(',').map((type) => type.trim().toLowerCase());
  const byFormat: Partial<Record<ImageFormat, string>> = {};
  for (const format of readImageConstraints(spec).formats) {
    // image/jpeg for jpeg, image/png for png: the subtype names the format.
    const type = types.find((candidate) => candidate === `image/${format}`);
    if (type === undefined) {
      throw new Error(`the spec's multipart encoding of file lists no media type for ${format} (got "${listed}")`);
    }
    byFormat[format] = type;
  }
  return Object.freeze(byFormat as Record<ImageFormat, string>);
}

/** The media types of the packaged spec, read once. */
export const imageMediaTypes = computeOnce(() => readImageMediaTypes());
