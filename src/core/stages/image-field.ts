import { decodeImageBase64 } from '../../image/base64-image.js';
import { imageConstraints } from '../../spec/image-constraints.js';
import { invalidArgument, missingImageReason } from '../answer.js';
import type { RequestBody } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

export type ImageField = 'file' | 'image_base64';

/**
 * The body stage: finds the image bytes in the body the adapter read. By decision, `file` wins when both fields are sent, an empty field counts as
 * absent, and only multipart and urlencoded bodies are taken.
 */
export function readImageField(body: RequestBody): StageResult<{ image: Uint8Array; field: ImageField }> {
  const { maxBytes } = imageConstraints();
  switch (body.kind) {
    case 'none':
      return stop(invalidArgument(missingImageReason()), 'body');
    case 'unsupported':
      return stop(
        invalidArgument(
          `content type "${body.contentType}" is not accepted; send multipart/form-data (file or image_base64) ` +
            'or application/x-www-form-urlencoded (image_base64)',
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
    case 'form': {
      if (body.file && body.file.byteLength > 0) return { ok: true, image: body.file, field: 'file' };
      if (body.imageBase64) {
        const decoded = decodeImageBase64(body.imageBase64, maxBytes);
        if (!decoded.ok) return stop(invalidArgument(`image_base64: ${decoded.reason}`), 'body');
        return { ok: true, image: decoded.bytes, field: 'image_base64' };
      }
      return stop(invalidArgument(missingImageReason()), 'body');
    }
  }
}
