import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { decodeImageBase64 } from '../../../src/image/base64-image.js';
import { invalidArgument, missingImageReason } from '../answer.js';
import type { RequestBody } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

export type ImageField = 'file' | 'image_base64';

/** What the body stage found: the image bytes, the field that carried them, and the file part's declared type. */
export type ImageFieldRead = StageResult<{ image: Uint8Array; field: ImageField; declaredType?: string }>;

/**
 * The body stage: finds the image bytes in the body the adapter read, under the decisions this stage owns:
 * `urlencoded-base64` (whether a urlencoded body is read at all), `empty-field` (an empty field is absent, or a
 * parameter error), `both-fields` (file wins, image_base64 wins, or both are refused), and the three base64
 * decisions, handed to the decoder. Only multipart and urlencoded bodies are ever taken. `maxBytes` is the decided
 * image size limit (decision-profile.ts), the same number the adapter's streaming limits come from.
 */
export function readImageField(body: RequestBody, decisions: DecisionProfile, maxBytes: number): ImageFieldRead {
  switch (body.kind) {
    case 'none':
      return stop(invalidArgument(missingImageReason()), 'body');
    case 'unsupported':
      return stop(
        invalidArgument(
          `content type "${body.contentType}" is not accepted; send multipart/form-data (file or image_base64)` +
            (decisions['urlencoded-base64'] === 'accept' ? ' or application/x-www-form-urlencoded (image_base64)' : ''),
        ),
        'body',
      );
    case 'malformed':
      return stop(invalidArgument(`malformed request body: ${body.problem}`), 'body');
    case 'too-large':
      return stop(
        invalidArgument(
          body.field === 'file'
            ? `file is larger than ${maxBytes} bytes; the image must be at most ${maxBytes} bytes`
            : body.field === 'image_base64'
              ? `image_base64 is larger than ${body.limit} bytes, more than the base64 of a ${maxBytes}-byte image`
              : `request body is larger than ${body.limit} bytes, more than an image of at most ${maxBytes} bytes ` +
                'and its base64 need; the upload was cut off',
        ),
        'body',
      );
    case 'form':
      return readForm(body, decisions, maxBytes);
  }
}

function readForm(
  body: Extract<RequestBody, { kind: 'form' }>,
  decisions: DecisionProfile,
  maxBytes: number,
): ImageFieldRead {
  if (body.contentType === 'urlencoded' && decisions['urlencoded-base64'] === 'reject') {
    return stop(
      invalidArgument(
        'content type "application/x-www-form-urlencoded" is not accepted; send image_base64 (or file) in a ' +
          'multipart/form-data body',
      ),
      'body',
    );
  }
  const emptyFile = body.file !== undefined && body.file.byteLength === 0;
  const emptyBase64 = body.imageBase64 === '';
  if (decisions['empty-field'] === 'invalid' && (emptyFile || emptyBase64)) {
    return stop(
      invalidArgument(
        `${emptyFile ? 'file' : 'image_base64'} is empty; an empty field is a parameter error: send the image, or ` +
          'leave the field out',
      ),
      'body',
    );
  }
  // From here an empty field counts as absent (decision empty-field: absent, or nothing was empty).
  const file = body.file !== undefined && !emptyFile ? body.file : undefined;
  const base64 = body.imageBase64 !== undefined && !emptyBase64 ? body.imageBase64 : undefined;
  const fromFile = (image: Uint8Array): ImageFieldRead => ({
    ok: true,
    image,
    field: 'file',
    ...(body.fileContentType === undefined ? {} : { declaredType: body.fileContentType }),
  });
  const fromBase64 = (text: string): ImageFieldRead => {
    const decoded = decodeImageBase64(text, maxBytes, {
      whitespace: decisions['base64-whitespace'],
      padding: decisions['base64-padding'],
      alphabet: decisions['base64-alphabet'],
    });
    if (!decoded.ok) return stop(invalidArgument(`image_base64: ${decoded.reason}`), 'body');
    return { ok: true, image: decoded.bytes, field: 'image_base64' };
  };
  if (file && base64 !== undefined) {
    switch (decisions['both-fields']) {
      case 'file':
        return fromFile(file);
      case 'image_base64':
        return fromBase64(base64);
      case 'reject':
        return stop(invalidArgument('both file and image_base64 were sent; send exactly one of the two'), 'body');
    }
  }
  if (file) return fromFile(file);
  if (base64 !== undefined) return fromBase64(base64);
  return stop(invalidArgument(missingImageReason()), 'body');
}
