import { makeHeaderOnlyImage, makeJpeg, makePng } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { fileUploadBody, multipartBody, multipartContentType } from './multipart-body.js';
import { type PredictCall, TEST_SECRET } from './predict-request.js';

/**
 * The mistakes a client makes against the vendor, each as the call that makes it (sent with `callPredict`, over
 * real HTTP or through MSW), the status the vendor answers, and the diagnosis code the mock must give. Shared by
 * the HTTP tests and the MSW parity test, so both judge the same requests.
 */
export interface ClientMistakeCase {
  name: string;
  call: PredictCall;
  status: string;
  code: string;
  /** Part of the diagnosis's `value`, when the case pins it. */
  value?: string;
}

const { minSide, maxSide, maxBytes } = imageConstraints();
export const GOOD_JPEG = makeJpeg({ width: 320, height: 240, seed: 11 });

/** A JPEG whose base64 has both '+' and '/', so its URL-safe form differs from the standard one. */
function base64WithBothSpecials(): string {
  for (let seed = 1; seed < 200; seed += 1) {
    const text = makeJpeg({ width: 160, height: 160, seed }).toString('base64');
    if (text.includes('+') && text.includes('/')) return text;
  }
  throw new Error('no sample JPEG has both + and / in its base64');
}
const standardBase64 = base64WithBothSpecials();
const urlSafeBase64 = standardBase64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

const GIF = Buffer.from('GIF89a\x80\x00\x80\x00\x00\x00\x00;', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(30)]);
const HEIC = Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic', 'latin1');

/** A multipart body built by hand (the mistakes a FormData would not make), with its Content-Type. */
function rawMultipart(parts: Parameters<typeof multipartBody>[0], contentType = multipartContentType()): PredictCall {
  return { body: multipartBody(parts), headers: { 'content-type': contentType } };
}

const asJpeg = (value: Buffer) => ({ name: 'file', value, filename: 'face.jpg', contentType: 'image/jpeg' });

export const CLIENT_MISTAKES: readonly ClientMistakeCase[] = [
  {
    name: 'the image under part `image`',
    call: rawMultipart([{ ...asJpeg(GOOD_JPEG), name: 'image' }]),
    status: 'INVALID_ARGUMENT',
    code: 'image-under-other-field',
    value: 'image',
  },
  {
    name: 'the image under part `photo`',
    call: rawMultipart([{ ...asJpeg(GOOD_JPEG), name: 'photo' }]),
    status: 'INVALID_ARGUMENT',
    code: 'image-under-other-field',
    value: 'photo',
  },
  {
    name: 'a data: URL prefix before the base64',
    call: { imageBase64: `data:image/jpeg;base64,${GOOD_JPEG.toString('base64')}` },
    status: 'INVALID_ARGUMENT',
    code: 'data-url-prefix',
    value: 'data:image/jpeg;base64,',
  },
  {
    name: 'base64 in the URL-safe alphabet',
    call: { imageBase64: urlSafeBase64 },
    status: 'INVALID_ARGUMENT',
    code: 'url-safe-base64',
  },
  {
    name: 'a `file` part without a filename',
    call: rawMultipart([{ name: 'file', value: GOOD_JPEG, contentType: 'image/jpeg' }]),
    status: 'INVALID_ARGUMENT',
    code: 'file-without-filename',
  },
  {
    name: 'a multipart Content-Type without a boundary',
    call: { body: fileUploadBody(GOOD_JPEG), headers: { 'content-type': 'multipart/form-data' } },
    status: 'INVALID_ARGUMENT',
    code: 'multipart-without-boundary',
    value: 'multipart/form-data',
  },
  {
    name: 'a JSON body',
    call: {
      body: JSON.stringify({ image_base64: GOOD_JPEG.toString('base64') }),
      headers: { 'content-type': 'application/json' },
    },
    status: 'INVALID_ARGUMENT',
    code: 'json-body',
    value: 'application/json',
  },
  {
    name: `a side under ${minSide} px`,
    call: { file: makePng({ width: minSide - 28, height: minSide + 50, seed: 2 }) },
    status: 'INVALID_ARGUMENT',
    code: 'side-too-small',
    value: `${minSide - 28}x${minSide + 50} px`,
  },
  {
    name: `a side over ${maxSide} px`,
    call: { file: makeHeaderOnlyImage({ format: 'png', width: maxSide + 1, height: 300 }) },
    status: 'INVALID_ARGUMENT',
    code: 'side-too-large',
    value: `${maxSide + 1}x300 px`,
  },
  {
    name: 'over the byte limit',
    call: { file: Buffer.concat([GOOD_JPEG, Buffer.alloc(maxBytes + 1 - GOOD_JPEG.length)]) },
    status: 'INVALID_ARGUMENT',
    code: 'image-too-large',
  },
  {
    name: 'a GIF named face.jpg and declared image/jpeg',
    call: rawMultipart([asJpeg(GIF)]),
    status: 'INVALID_ARGUMENT',
    code: 'unsupported-format',
    value: 'gif',
  },
  {
    name: 'a WebP named face.jpg',
    call: rawMultipart([asJpeg(WEBP)]),
    status: 'INVALID_ARGUMENT',
    code: 'unsupported-format',
    value: 'webp',
  },
  {
    name: 'a HEIC named face.jpg',
    call: rawMultipart([asJpeg(HEIC)]),
    status: 'INVALID_ARGUMENT',
    code: 'unsupported-format',
    value: 'heif',
  },
  {
    name: 'credentials in the query string',
    call: {
      file: GOOD_JPEG,
      credentials: false,
      path: `/face/predict_gender?X-DF-API-ID=test-id&X-DF-API-SECRET=${TEST_SECRET}`,
    },
    status: 'UNAUTHORIZED',
    code: 'credentials-in-query',
    value: 'X-DF-API-SECRET=[REDACTED]',
  },
  {
    name: 'credentials under X-API-ID / X-API-SECRET',
    call: { file: GOOD_JPEG, credentials: { 'X-API-ID': 'test-id', 'X-API-SECRET': TEST_SECRET } },
    status: 'UNAUTHORIZED',
    code: 'wrong-credential-headers',
    value: 'x-api-id: [REDACTED]',
  },
  {
    name: 'the secret as Authorization: Bearer',
    call: { file: GOOD_JPEG, credentials: { 'X-DF-API-ID': 'test-id', Authorization: `Bearer ${TEST_SECRET}` } },
    status: 'UNAUTHORIZED',
    code: 'wrong-credential-headers',
    value: 'authorization: [REDACTED]',
  },
  {
    name: 'no credentials at all',
    call: { file: GOOD_JPEG, credentials: false },
    status: 'UNAUTHORIZED',
    code: 'missing-credentials',
    value: 'X-DF-API-ID, X-DF-API-SECRET',
  },
  {
    name: 'a path the vendor does not serve',
    call: { file: GOOD_JPEG, path: '/face/predict-gender' },
    status: 'NOT_FOUND',
    code: 'unknown-path',
    value: 'POST /face/predict-gender',
  },
  {
    name: 'a method the vendor does not serve',
    call: { method: 'GET' },
    status: 'NOT_FOUND',
    code: 'wrong-method',
    value: 'GET',
  },
  {
    name: 'no image at all',
    call: rawMultipart([{ name: 'note', value: 'hello' }]),
    status: 'INVALID_ARGUMENT',
    code: 'image-under-other-field',
    value: 'note',
  },
];

/** Mistakes that are mistakes only under some decisions: the config that makes them refusals. */
export const BOTH_FIELDS_REJECTED = { decisions: { 'both-fields': 'reject' as const } };
export const BOTH_FIELDS: ClientMistakeCase = {
  name: 'both file and image_base64 (decision both-fields: reject)',
  call: { file: GOOD_JPEG, imageBase64: GOOD_JPEG.toString('base64') },
  status: 'INVALID_ARGUMENT',
  code: 'both-fields',
};
