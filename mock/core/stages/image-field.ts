import type { DecisionProfile } from '../../../src/generated/decisions.js';
import { decodeImageBase64 } from '../../../src/image/base64-image.js';
import type { ImageConstraints } from '../../../src/spec/image-constraints.js';
import { invalidArgument, missingImageReason } from '../answer.js';
import { type BodyMistake, bodyDiagnosis } from '../client-diagnosis.js';
import type { RequestBody } from '../mock-request.js';
import { type StageResult, stop } from '../stage-result.js';

export type ImageField = 'file' | 'image_base64';

/** What the body stage found: the image bytes, the field that carried them, and the file part's declared type. */
export type ImageFieldRead = StageResult<{ image: Uint8Array; field: ImageField; declaredType?: string }>;

/**
 * The body stage: finds the image bytes in the body the adapter read, under the decisions this stage owns:
 * `urlencoded-base64` (whether a urlencoded body is read at all), `empty-field` (an empty field is absent, or a
 * parameter error), `both-fields` (file wins, image_base64 wins, or both are refused), and the three base64
 * decisions, handed to the decoder. Only multipart and urlencoded bodies are ever taken. `constraints` are the
 * decided image rules (decision-profile.ts), whose maxBytes the adapter's streaming limits come from too.
 * `contentTypeHeader` is the request's Content-Type as sent, so a malformed multipart body can be diagnosed as one
 * without a boundary whichever adapter parsed it.
 */
export function readImageField(
  body: RequestBody,
  decisions: DecisionProfile,
  constraints: ImageConstraints,
  contentTypeHeader?: string,
): ImageFieldRead {
  const { maxBytes } = constraints;
  const refuse = (reason: string, mistake: BodyMistake) =>
    stop(invalidArgument(reason), 'body', bodyDiagnosis(mistake, decisions, constraints));
  switch (body.kind) {
    case 'none':
      return refuse(missingImageReason(), { kind: 'no-body' });
    case 'unsupported':
      return refuse(
        `content type "${body.contentType}" is not accepted; send multipart/form-data (file or image_base64)` +
          (decisions['urlencoded-base64'] === 'accept' ? ' or application/x-www-form-urlencoded (image_base64)' : ''),
        { kind: 'unsupported', contentType: body.contentType },
      );
    case 'malformed':
      return refuse(`malformed request body: ${body.problem}`, {
        kind: 'malformed',
        problem: body.problem,
        contentTypeHeader,
      });
    case 'too-large':
      return refuse(
        body.field === 'file'
          ? `file is larger than ${maxBytes} bytes; the image must be at most ${maxBytes} bytes`
          : body.field === 'image_base64'
            ? `image_base64 is larger than ${body.limit} bytes, more than the base64 of a ${maxBytes}-byte image`
            : `request body is larger than ${body.limit} bytes, more than an image of at most ${maxBytes} bytes ` +
              'and its base64 need; the upload was cut off',
        { kind: 'too-large', field: body.field, limit: body.limit },
      );
    case 'form':
      return readForm(body, decisions, maxBytes, refuse);
  }
}

type Refuse = (reason: string, mistake: BodyMistake) => ImageFieldRead;

function readForm(
  body: Extract<RequestBody, { kind: 'form' }>,
  decisions: DecisionProfile,
  maxBytes: number,
  refuse: Refuse,
): ImageFieldRead {
  if (body.contentType === 'urlencoded' && decisions['urlencoded-base64'] === 'reject') {
    return refuse(
      'content type "application/x-www-form-urlencoded" is not accepted; send image_base64 (or file) in a ' +
        'multipart/form-data body',
      { kind: 'urlencoded-not-accepted' },
    );
  }
  const emptyFile = body.file !== undefined && body.file.byteLength === 0;
  const emptyBase64 = body.imageBase64 === '';
  if (decisions['empty-field'] === 'invalid' && (emptyFile || emptyBase64)) {
    const field = emptyFile ? 'file' : 'image_base64';
    return refuse(`${field} is empty; an empty field is a parameter error: send the image, or leave the field out`, {
      kind: 'empty-field',
      field,
    });
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
    if (!decoded.ok) {
      return refuse(`image_base64: ${decoded.reason}`, { kind: 'base64', problem: decoded.problem, text });
    }
    return { ok: true, image: decoded.bytes, field: 'image_base64' };
  };
  if (file && base64 !== undefined) {
    switch (decisions['both-fields']) {
      case 'file':
        return fromFile(file);
      case 'image_base64':
        return fromBase64(base64);
      case 'reject':
        return refuse('both file and image_base64 were sent; send exactly one of the two', { kind: 'both-fields' });
    }
  }
  if (file) return fromFile(file);
  if (base64 !== undefined) return fromBase64(base64);
  // An empty field read as absent (decision empty-field: absent) is diagnosed as what it was.
  if (emptyFile || emptyBase64) {
    return refuse(missingImageReason(), { kind: 'empty-field', field: emptyFile ? 'file' : 'image_base64' });
  }
  return refuse(missingImageReason(), {
    kind: 'no-image',
    otherFields: body.otherFields ?? [],
    fileWithoutFilename: body.fileWithoutFilename === true,
  });
}
