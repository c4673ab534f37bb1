import type { DecisionProfile } from '../../src/generated/decisions.js';
import { decidedImageConstraints } from './decision-profile.js';

/** How much of a request body an adapter may read, all derived from the decided image size limit. */
export interface BodyLimits {
  /** Largest image file, in bytes (the `max-image-bytes` decision's number). */
  fileBytes: number;
  /** Largest `image_base64` field: the base64 of maxBytes with MIME line breaks and padding slack. */
  base64FieldBytes: number;
  /** Largest urlencoded body: the base64 field with every character percent-encoded in the worst case. */
  urlencodedBytes: number;
}

/** The limits under `profile` (the mock's `core.decisions`), so the streaming cut-off and the image check agree. */
export function bodyLimits(profile: DecisionProfile): BodyLimits {
  const { maxBytes } = decidedImageConstraints(profile);
  // The base64 of maxBytes, plus MIME line breaks (CRLF every 76 characters) and some slack for the padding.
  const base64Length = Math.ceil(maxBytes / 3) * 4;
  const base64FieldBytes = base64Length + Math.ceil(base64Length / 76) * 2 + 16;
  // Percent-encoding turns '+', '/' and '=' into three bytes each: the worst case of a urlencoded base64 body.
  return { fileBytes: maxBytes, base64FieldBytes, urlencodedBytes: base64FieldBytes * 3 + 1024 };
}
