/**
 * Multipart bodies as raw bytes, built by hand rather than with FormData: the benchmark needs the exact same bytes
 * for every server (precomputed once, fixed boundary), and the hostile tests need to break the format on purpose
 * (missing CRLFs, wrong boundaries, odd names), which no well-behaved encoder will produce.
 */

export const FIXED_BOUNDARY = 'accuauthkitboundary7MA4YWxkTrZu0gW';

export interface MultipartPart {
  /** The part's `name`; a Buffer allows names that are not UTF-8. */
  name: string | Buffer;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

export function multipartContentType(boundary: string = FIXED_BOUNDARY): string {
  return `multipart/form-data; boundary=${boundary}`;
}

/** A well-formed `multipart/form-data` body (RFC 7578) with the given parts, in order. */
export function multipartBody(parts: readonly MultipartPart[], boundary: string = FIXED_BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = typeof part.name === 'string' ? Buffer.from(part.name, 'utf8') : part.name;
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.contentType === undefined ? '' : `\r\nContent-Type: ${part.contentType}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`, 'latin1'),
      name,
      Buffer.from(`"${filename}${type}\r\n\r\n`, 'latin1'),
      typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : part.value,
      Buffer.from('\r\n', 'latin1'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** The body of an upload of `image` as the `file` part, as a browser or curl would send it. */
export function fileUploadBody(image: Buffer, boundary: string = FIXED_BOUNDARY): Buffer {
  return multipartBody([{ name: 'file', value: image, filename: 'face.jpg', contentType: 'image/jpeg' }], boundary);
}

/** The body of an upload of `image` as base64 text in the `image_base64` part. */
export function base64UploadBody(image: Buffer, boundary: string = FIXED_BOUNDARY): Buffer {
  return multipartBody([{ name: 'image_base64', value: image.toString('base64') }], boundary);
}
