import { computeOnce } from '../../src/compute-once.js';
import { imageSha256, predictFromImage } from '../../src/image/predicted-face.js';
import { makeHeaderOnlyImage, makeJpeg, makePng } from '../../src/image/sample-images.js';
import { RESERVED_FAKE_ID_PREFIX } from '../../src/spec/credential-headers.js';
import {
  type DecisionName,
  type DecisionProfile,
  decisionCatalogue,
  specDecisionProfile,
} from '../../src/spec/decision-catalogue.js';
import { httpCodeOf } from '../../src/spec/error-catalogue.js';
import { imageConstraints, imageMediaTypes } from '../../src/spec/image-constraints.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import type { StatusValue } from '../../src/types.js';
import { pngPaddedTo, pngWithDamagedData } from './probe-images.js';

/**
 * Every question the contract suites ask a target (the mock or the live API), as data: the request to send and the
 * answers our spec allows. Credentials are never stored here; a probe only says which kind it sends, and the runner
 * injects the target's own at send time.
 */

/** Which credentials a probe sends: the target's own, none, only the id, or a pair no account can have. */
export type CredentialKind = 'target' | 'none' | 'id-only' | 'fake';

/**
 * An obviously fake pair: refused by any vendor, harmless in a report, and refused by the default mock too (its id
 * has the reserved prefix), so the wrong-credentials probe expects 401 UNAUTHORIZED from every reference.
 */
export const FAKE_CREDENTIALS = Object.freeze({
  apiId: `${RESERVED_FAKE_ID_PREFIX}id`,
  apiSecret: 'accuauth-kit-fake-secret-not-a-real-key',
});

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; data: Uint8Array };

export type ProbeBody =
  | { kind: 'none' }
  | { kind: 'multipart'; parts: readonly MultipartPart[] }
  | { kind: 'urlencoded'; fields: Readonly<Record<string, string>> }
  | { kind: 'json'; value: unknown };

export interface ProbeRequest {
  method: 'POST' | 'GET';
  path: string;
  credentials: CredentialKind;
  body: ProbeBody;
}

/** One answer our spec allows: the HTTP code, the status value and, where the vendor documents it, the reason. */
export interface ExpectedOutcome {
  httpCode: number;
  /** Absent only for an `undocumented` answer, which has no vendor body. */
  status?: StatusValue;
  reason?: string;
  /**
   * An answer no vendor document describes, which a decision's alternative nevertheless predicts (the 405 of
   * other-methods `method-not-allowed`): meeting it, an answer's content type and body are not held to the spec.
   */
  undocumented?: true;
}

/**
 * How a probe tells a decision's alternatives apart: the answers each alternative gives it. A probe's `expected` is
 * the entry of the spec's choice; `expectedUnder` picks the entry of a mock's profile.
 */
export interface DecisionTell {
  decision: DecisionName;
  /** Every alternative of the decision -> the answers it allows. */
  expected: Readonly<Record<string, readonly ExpectedOutcome[]>>;
  /**
   * face-box only: the uploaded image's size. The order is told by the answer's box, not its status: a box that
   * fits the image under one reading only shows that reading (a DETECTION_FAILED shows neither).
   */
  faceBoxImage?: { width: number; height: number };
}

export interface Probe {
  name: string;
  /** What the probe checks, in words, for reports and test names. */
  checks: string;
  /** The spec decisions it tests; empty when it tests a rule the vendor documents. */
  decisions: readonly DecisionName[];
  /** Present when the answer tells which alternative of a decision the target takes (the drift check reads it). */
  tells?: DecisionTell;
  /**
   * Whether the live API may count it against the account's quota: every request with the real key to the endpoint
   * may, refused or not, since the vendor does not say which calls it counts. Requests without the real key, or to
   * another path, cannot be billed to the account.
   */
  spendsQuota: boolean;
  /** Whether `npm run contracts:live` and the drift check send it to the vendor. */
  liveSafe: boolean;
  request: ProbeRequest;
  /** Any one of these answers meets the spec. */
  expected: readonly ExpectedOutcome[];
}

/** The most requests one live run (or one drift check) sends to the vendor. */
export const LIVE_REQUEST_CAP = 20;

/** The answer our spec gives a status value, its HTTP code read from the spec (the OK example for `OK`). */
export function outcome(status: StatusValue, reason?: string): ExpectedOutcome {
  const httpCode = status === 'OK' ? (namedExamples().get('OK')?.httpCode ?? Number.NaN) : httpCodeOf(status);
  return reason === undefined ? { httpCode, status } : { httpCode, status, reason };
}

/**
 * A valid image is accepted: the vendor finds a face or says it found none. Our sample images are synthetic, so the
 * live API may well answer DETECTION_FAILED; what the probe rules out is a refusal of the image itself.
 */
function imageAccepted(): readonly ExpectedOutcome[] {
  return [outcome('OK'), outcome('DETECTION_FAILED')];
}

/** The 405 a web framework answers another method with: decision other-methods `method-not-allowed`. */
function methodNotAllowed(): readonly ExpectedOutcome[] {
  return [{ httpCode: 405, undocumented: true }];
}

/**
 * A probe that tells `decision`'s alternatives apart: `byAlternative` gives each alternative's answers (every
 * alternative must be listed; a test checks it), and the probe's `expected` is the spec's choice's.
 */
function telling(
  decision: DecisionName,
  byAlternative: Readonly<Record<string, readonly ExpectedOutcome[]>>,
  faceBoxImage?: { width: number; height: number },
): Pick<Probe, 'decisions' | 'tells' | 'expected'> {
  const choice = specDecisionProfile()[decision];
  const expected = byAlternative[choice];
  if (!expected) throw new Error(`probe for ${decision} has no answers for the spec's choice ${choice}`);
  return {
    decisions: [decision],
    tells: { decision, expected: byAlternative, ...(faceBoxImage ? { faceBoxImage } : {}) },
    expected,
  };
}

/** The answers a probe allows from a mock run with `profile` (the spec's choices when not told otherwise). */
export function expectedUnder(probe: Probe, profile: DecisionProfile): readonly ExpectedOutcome[] {
  if (!probe.tells) return probe.expected;
  return probe.tells.expected[profile[probe.tells.decision]] ?? probe.expected;
}

/** The catalogue as a mock run with `profile` answers it: each telling probe expects its alternative's answers. */
export function probesUnder(probes: readonly Probe[], profile: DecisionProfile): readonly Probe[] {
  return probes.map((probe) => (probe.tells ? { ...probe, expected: expectedUnder(probe, profile) } : probe));
}

/**
 * A JPEG whose box, as the mock derives it, fits the image under one reading of face_box only, whichever the mock
 * writes: so the face-box probe tells the order against the mock (and against the vendor, whenever it finds a
 * face whose box is as telling; a synthetic image rarely has one). Found by trying seeds, the same every run.
 */
function faceBoxTellingJpeg(width: number, height: number): Buffer {
  for (let seed = 1; seed < 500; seed += 1) {
    const jpeg = makeJpeg({ width, height, seed });
    const [left, top, right, bottom] = predictFromImage(imageSha256(jpeg), { width, height }).face_box as [
      number,
      number,
      number,
      number,
    ];
    const box = { width: right - left, height: bottom - top };
    const ltrbReadsAsXywh = left + right <= width && top + bottom <= height;
    const xywhReadsAsLtrb = box.width > left && box.height > top;
    if (!ltrbReadsAsXywh && !xywhReadsAsLtrb) return jpeg;
  }
  throw new Error('no seed gives a JPEG whose face box tells the order; widen the search');
}

function jpegPart(data: Uint8Array, filename = 'face.jpg'): MultipartPart {
  return { name: 'file', filename, contentType: imageMediaTypes().jpeg, data };
}

function pngPart(data: Uint8Array, filename = 'face.png'): MultipartPart {
  return { name: 'file', filename, contentType: imageMediaTypes().png, data };
}

function multipart(...parts: MultipartPart[]): ProbeBody {
  return { kind: 'multipart', parts };
}

function endpoint(credentials: CredentialKind, body: ProbeBody): ProbeRequest {
  return { method: 'POST', path: PREDICT_GENDER_PATH, credentials, body };
}

/** The `reason` of the spec's named example `name`. */
function exampleReason(name: string): string | undefined {
  const body = namedExamples().get(name)?.body as { reason?: unknown } | undefined;
  return typeof body?.reason === 'string' ? body.reason : undefined;
}

/** `base64`, with the standard alphabet's `+` and `/` swapped for the URL-safe `-` and `_`. */
function toUrlSafe(base64: string): string {
  if (!/[+/]/.test(base64)) throw new Error('the sample image encodes without + or /; pick another seed');
  return base64.replaceAll('+', '-').replaceAll('/', '_');
}

function buildCatalogue(): readonly Probe[] {
  const limits = imageConstraints();
  const side = limits.minSide * 2;
  const small = Math.floor(limits.minSide * 0.75);
  const jpeg = makeJpeg({ width: side, height: side, seed: 7 });
  const png = makePng({ width: side, height: side, seed: 11 });
  const jpegBase64 = jpeg.toString('base64');
  const wide = { width: side * 3, height: side };
  const faceBoxJpeg = faceBoxTellingJpeg(wide.width, wide.height);
  // An image between the two readings of "5 MB" (5,000,000 and 5 MiB): the alternatives' numbers from the spec.
  const byteReadings = [...(decisionCatalogue().get('max-image-bytes')?.values?.values() ?? [])];
  const betweenReadings = Math.floor((Math.min(...byteReadings) + Math.max(...byteReadings)) / 2);
  const nonImage = Buffer.from('this is a text file, not an image\n'.repeat(40), 'utf8');
  const overLimit = pngPaddedTo(png, limits.maxBytes + 1);
  // The spec's INVALID_ARGUMENT example is the vendor's own sample error, the answer to a request without an image.
  const vendorNoImageReason = exampleReason('INVALID_ARGUMENT');

  const probes: Probe[] = [
    {
      name: 'jpeg-file',
      checks:
        `a valid ${wide.width}x${wide.height} JPEG sent as the multipart part \`file\` is accepted; its face box` +
        ' fits the image as [left, top, right, bottom] only, or as [x, y, width, height] only',
      ...telling('face-box', { ltrb: imageAccepted(), xywh: imageAccepted() }, wide),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(faceBoxJpeg))),
    },
    {
      name: 'png-file',
      checks: 'a valid PNG sent as the multipart part `file` is accepted',
      decisions: [],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart(pngPart(png))),
      expected: imageAccepted(),
    },
    {
      name: 'png-declared-as-jpeg',
      checks: 'a PNG sent with a .jpg name and an image/jpeg part type is accepted: the format is judged by content',
      ...telling('image-format', { 'by-content': imageAccepted(), 'by-declared-type': [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(png, 'face.jpg'))),
    },
    {
      name: 'base64-multipart',
      checks: 'a JPEG as standard base64 in the multipart field `image_base64` is accepted',
      decisions: [],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart({ name: 'image_base64', value: jpegBase64 })),
      expected: imageAccepted(),
    },
    {
      name: 'base64-urlencoded',
      checks: 'a JPEG as base64 in an application/x-www-form-urlencoded body is accepted',
      ...telling('urlencoded-base64', { accept: imageAccepted(), reject: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', { kind: 'urlencoded', fields: { image_base64: jpegBase64 } }),
    },
    {
      name: 'base64-line-breaks',
      checks: 'MIME-style base64 (a line break every 76 characters) is accepted: white space is ignored',
      ...telling('base64-whitespace', { ignore: imageAccepted(), reject: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart({ name: 'image_base64', value: jpegBase64.replace(/.{76}/g, '$&\r\n') })),
    },
    {
      name: 'base64-no-padding',
      checks: 'base64 without its trailing = padding is accepted',
      ...telling('base64-padding', { optional: imageAccepted(), required: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint(
        'target',
        multipart({ name: 'image_base64', value: padToNeedPadding(jpeg).replace(/=+$/, '') }),
      ),
    },
    {
      name: 'base64-url-safe',
      checks: 'base64 in the URL-safe alphabet (- and _) is refused with INVALID_ARGUMENT',
      ...telling('base64-alphabet', {
        standard: [outcome('INVALID_ARGUMENT')],
        'standard-or-url-safe': imageAccepted(),
      }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart({ name: 'image_base64', value: toUrlSafe(jpegBase64) })),
    },
    {
      name: 'base64-data-url',
      checks: 'base64 behind a data: URL prefix is refused with INVALID_ARGUMENT',
      decisions: ['base64-alphabet'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart({ name: 'image_base64', value: `data:image/jpeg;base64,${jpegBase64}` })),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'base64-misplaced-padding',
      checks: 'base64 with = padding in the middle is refused with INVALID_ARGUMENT',
      decisions: ['base64-padding'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint(
        'target',
        multipart({ name: 'image_base64', value: `${jpegBase64.slice(0, 64)}==${jpegBase64.slice(64)}` }),
      ),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'junk-base64',
      checks: 'image_base64 that is not base64 at all is refused with INVALID_ARGUMENT',
      decisions: [],
      spendsQuota: true,
      // Not sent live: the live run's requests go first to probes that tell a decision (corrupt-png took its place),
      // and a refusal of text that is no image at all is what non-image-file already asks the vendor.
      liveSafe: false,
      request: endpoint('target', multipart({ name: 'image_base64', value: '!!not base64 at all??' })),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'no-image',
      checks: "a multipart body with neither field is refused with the vendor's INVALID_ARGUMENT reason",
      decisions: ['empty-field'],
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart({ name: 'note', value: 'no image here' })),
      expected: [outcome('INVALID_ARGUMENT', vendorNoImageReason)],
    },
    {
      name: 'empty-image-base64',
      checks: 'an empty image_base64 field counts as absent and is refused with INVALID_ARGUMENT',
      ...telling('empty-field', {
        absent: [outcome('INVALID_ARGUMENT', vendorNoImageReason)],
        invalid: [outcome('INVALID_ARGUMENT')],
      }),
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart({ name: 'image_base64', value: '' })),
    },
    {
      name: 'empty-file-with-base64',
      checks: 'an empty file part beside a valid image_base64 is accepted: the empty field counts as absent',
      ...telling('empty-field', { absent: imageAccepted(), invalid: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(Buffer.alloc(0)), { name: 'image_base64', value: jpegBase64 })),
    },
    {
      name: 'non-image-file',
      checks: 'a text file named face.jpg, declared image/jpeg, is refused with INVALID_ARGUMENT',
      decisions: ['image-format'],
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(nonImage))),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'corrupt-png',
      checks:
        `a ${side}x${side} PNG whose image data is damaged (an IDAT byte inverted, its CRC no longer matching) is` +
        ' refused with INVALID_ARGUMENT',
      // A vendor that decodes the damage away but finds no face in our synthetic picture answers DETECTION_FAILED
      // and shows as detection-failed: the profile that answers this image as the vendor did.
      ...telling('corrupt-image', {
        'invalid-argument': [outcome('INVALID_ARGUMENT')],
        'detection-failed': [outcome('DETECTION_FAILED')],
        accept: [outcome('OK')],
      }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(pngPart(pngWithDamagedData(png)))),
    },
    {
      name: 'image-too-small',
      checks: `a ${small}x${small} px JPEG is refused with INVALID_ARGUMENT`,
      decisions: ['side-limits'],
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(makeJpeg({ width: small, height: small, seed: 3 })))),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'one-side-too-small',
      checks: `a ${side}x${limits.minSide - 1} px JPEG (only its height too small) is refused with INVALID_ARGUMENT`,
      decisions: ['side-limits'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart(jpegPart(makeJpeg({ width: side, height: limits.minSide - 1, seed: 5 })))),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'smallest-image',
      checks: `a ${limits.minSide}x${limits.minSide} px JPEG, the smallest allowed, is accepted`,
      ...telling('side-limits', { inclusive: imageAccepted(), exclusive: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint(
        'target',
        multipart(jpegPart(makeJpeg({ width: limits.minSide, height: limits.minSide, seed: 9 }))),
      ),
    },
    {
      name: 'image-too-large',
      checks: `a PNG whose header says ${limits.maxSide + 1}x${limits.maxSide + 1} px is refused with INVALID_ARGUMENT`,
      decisions: ['side-limits'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint(
        'target',
        multipart(
          pngPart(makeHeaderOnlyImage({ format: 'png', width: limits.maxSide + 1, height: limits.maxSide + 1 })),
        ),
      ),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'file-at-size-limit',
      checks: `a PNG of exactly ${limits.maxBytes} bytes (5 MiB, more than 5,000,000) is accepted`,
      ...telling('max-image-bytes', { mebibytes: imageAccepted(), megabytes: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart(pngPart(pngPaddedTo(png, limits.maxBytes)))),
    },
    {
      name: 'file-between-mb-and-mib',
      checks: `a PNG of ${betweenReadings} bytes, over 5,000,000 and under 5 MiB, is accepted: "5 MB" is 5 MiB`,
      ...telling('max-image-bytes', { mebibytes: imageAccepted(), megabytes: [outcome('INVALID_ARGUMENT')] }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(pngPart(pngPaddedTo(png, betweenReadings)))),
    },
    {
      name: 'file-over-size-limit',
      checks: `a PNG of ${limits.maxBytes + 1} bytes is refused with 400 INVALID_ARGUMENT and the JSON body, not 413`,
      decisions: ['max-image-bytes'],
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(pngPart(overLimit))),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'base64-over-size-limit',
      checks: `base64 of a ${limits.maxBytes + 1}-byte PNG is refused with INVALID_ARGUMENT: the limit counts decoded bytes`,
      decisions: ['max-image-bytes'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', multipart({ name: 'image_base64', value: overLimit.toString('base64') })),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'both-fields',
      checks: 'a valid JPEG file plus junk image_base64 is accepted: the file wins',
      ...telling('both-fields', {
        file: imageAccepted(),
        image_base64: [outcome('INVALID_ARGUMENT')],
        reject: [outcome('INVALID_ARGUMENT')],
      }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(jpeg), { name: 'image_base64', value: '!!not base64 at all??' })),
    },
    {
      name: 'both-fields-junk-file',
      checks: 'a text file plus a valid JPEG as image_base64 is refused: the file wins, and it is not an image',
      ...telling('both-fields', {
        file: [outcome('INVALID_ARGUMENT')],
        image_base64: imageAccepted(),
        reject: [outcome('INVALID_ARGUMENT')],
      }),
      spendsQuota: true,
      liveSafe: true,
      request: endpoint('target', multipart(jpegPart(nonImage), { name: 'image_base64', value: jpegBase64 })),
    },
    {
      name: 'json-body',
      checks: 'image_base64 in an application/json body is refused with INVALID_ARGUMENT',
      decisions: ['urlencoded-base64'],
      spendsQuota: true,
      liveSafe: false,
      request: endpoint('target', { kind: 'json', value: { image_base64: jpegBase64 } }),
      expected: [outcome('INVALID_ARGUMENT')],
    },
    {
      name: 'no-credentials',
      checks: 'a request without X-DF-API-ID and X-DF-API-SECRET is refused with UNAUTHORIZED',
      decisions: [],
      spendsQuota: false,
      liveSafe: true,
      request: endpoint('none', multipart(jpegPart(jpeg))),
      expected: [outcome('UNAUTHORIZED')],
    },
    {
      name: 'id-without-secret',
      checks: 'a request with X-DF-API-ID but no X-DF-API-SECRET is refused with UNAUTHORIZED',
      decisions: [],
      spendsQuota: false,
      liveSafe: false,
      request: endpoint('id-only', multipart(jpegPart(jpeg))),
      expected: [outcome('UNAUTHORIZED')],
    },
    {
      name: 'wrong-credentials',
      checks: 'a request with an obviously fake id and secret is refused with UNAUTHORIZED',
      decisions: [],
      spendsQuota: false,
      liveSafe: true,
      request: endpoint('fake', multipart(jpegPart(jpeg))),
      expected: [outcome('UNAUTHORIZED')],
    },
    {
      name: 'unknown-path',
      checks: 'POST to a path the vendor does not document is answered 404 NOT_FOUND with the JSON error body',
      decisions: [],
      spendsQuota: false,
      liveSafe: true,
      request: {
        method: 'POST',
        path: '/face/no_such_endpoint',
        credentials: 'target',
        body: multipart(jpegPart(jpeg)),
      },
      expected: [outcome('NOT_FOUND')],
    },
    {
      name: 'wrong-method',
      checks: 'GET on the endpoint is answered 404 NOT_FOUND with the JSON error body',
      ...telling('other-methods', { 'not-found': [outcome('NOT_FOUND')], 'method-not-allowed': methodNotAllowed() }),
      spendsQuota: false,
      liveSafe: true,
      request: { method: 'GET', path: PREDICT_GENDER_PATH, credentials: 'target', body: { kind: 'none' } },
    },
  ];
  return Object.freeze(probes);
}

/**
 * The base64 of `image`, made to end in padding: an image whose byte count is a multiple of 3 encodes without any,
 * and would not test the optional-padding rule. One trailing zero byte after a JPEG's end marker is ignored by
 * decoders.
 */
function padToNeedPadding(image: Buffer): string {
  const padded = image.length % 3 === 0 ? Buffer.concat([image, Buffer.alloc(1)]) : image;
  return padded.toString('base64');
}

/** Every probe, built once per process (the images in it are made on first use). */
export const probeCatalogue = computeOnce(() => buildCatalogue());

/** The probes a live run sends: the live-safe ones, never more than LIVE_REQUEST_CAP. */
export function liveProbes(catalogue: readonly Probe[] = probeCatalogue()): readonly Probe[] {
  const live = catalogue.filter((probe) => probe.liveSafe);
  if (live.length > LIVE_REQUEST_CAP) {
    throw new Error(`${live.length} probes are marked live-safe; a live run may send at most ${LIVE_REQUEST_CAP}`);
  }
  return live;
}
