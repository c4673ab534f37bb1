import { imageConstraints } from '../spec/image-constraints.js';

/** How much of a request body an adapter may read, all derived from the spec's image size limit. */
export interface BodyLimits {
  /** Largest image file, in bytes (the spec's maxBytes). */
  fileBytes: number;
  /** Largest `image_base64` field: the base64 of maxBytes with MIME line breaks and padding slack. */
  base64FieldBytes: number;
  /** Largest urlencoded body: the base64 field with every character percent-encoded in the worst case. */
  urlencodedBytes: number;
}

export function bodyLimits(): BodyLimits {
  const { maxBytes } = imageConstraints();
  // The base64 of maxBytes, plus MIME line breaks (CRLF every 76 characters) and some slack for the padding.
  const base64Length = Math.ceil(maxBytes / 3) * 4;
  const base64FieldBytes = base64Length + Math.ceil(base64Length / 76) * 2 + 16;
  // Percent-encoding turns '+', '/' and '=' into three bytes each: the worst case of a urlencoded base64 body.
  return { fileBytes: maxBytes, base64FieldBytes, urlencodedBytes: base64FieldBytes * 3 + 1024 };
}
