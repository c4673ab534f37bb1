import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeHeaderOnlyImage, makeJpeg, makePng } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { multipartBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';

// Hostile images, as `file` and as `image_base64`: the answer is judged by content alone (spec decision), every
// refusal is the documented 400 INVALID_ARGUMENT, and nothing an image claims in its header can crash the mock.
const { minSide, maxSide } = imageConstraints();
const headers = { ...TEST_CREDENTIALS, 'content-type': multipartContentType() };
const jpeg = makeJpeg({ width: 200, height: 150, seed: 11 });
const png = makePng({ width: 130, height: 140, seed: 12 });

const mock = useMock();

async function statusOf(field: 'file' | 'image_base64', value: Buffer | string): Promise<string> {
  const body = multipartBody([
    field === 'file' ? { name: 'file', value, filename: 'x.jpg', contentType: 'image/jpeg' } : { name: field, value },
  ]);
  return expectAnswer(await callPredict(mock.url, { body, headers }), ANY_STATUS).status;
}

const both = (image: Buffer) =>
  [
    ['file', image],
    ['image_base64', image.toString('base64')],
  ] as const;

describe('images that are not what they claim', () => {
  it('treats a zero-byte file as absent (vendor reason)', async () => {
    const body = multipartBody([{ name: 'file', value: Buffer.alloc(0), filename: 'empty.jpg' }]);
    const parsed = expectAnswer(await callPredict(mock.url, { body, headers }), 'INVALID_ARGUMENT');
    expect(parsed.reason).toBe("must specify 'file' or 'image_base64' argument");
  });

  const cases: [string, Buffer][] = [
    ['only the JPEG magic bytes', Buffer.from([0xff, 0xd8, 0xff])],
    ['only the PNG signature', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['a JPEG header claiming 0x0', makeHeaderOnlyImage({ format: 'jpeg', width: 0, height: 0 })],
    ['a PNG header claiming 0x0', makeHeaderOnlyImage({ format: 'png', width: 0, height: 0 })],
    ['a PNG header claiming 70000x70000', makeHeaderOnlyImage({ format: 'png', width: 70_000, height: 70_000 })],
    // JPEG stores each side in 16 bits: 65535 is the largest it can claim.
    ['a JPEG header claiming 65535x65535', makeHeaderOnlyImage({ format: 'jpeg', width: 65_535, height: 65_535 })],
    ['a JPEG one pixel too wide', makeHeaderOnlyImage({ format: 'jpeg', width: maxSide + 1, height: minSide })],
    ['a PNG one pixel too small', makeHeaderOnlyImage({ format: 'png', width: minSide - 1, height: minSide })],
    ['a JPEG cut in half', jpeg.subarray(0, jpeg.length >> 1)],
    ['a PNG cut in half', png.subarray(0, png.length >> 1)],
    ['a JPEG cut before its frame header', jpeg.subarray(0, 20)],
    ['a PNG with a broken IHDR checksum', corruptAt(png, 29)],
    ['a JPEG whose SOI marker is damaged', corruptAt(jpeg, 1)],
    ['a GIF', Buffer.from('GIF89a\x80\x00\x80\x00\x00\x00\x00;', 'latin1')],
    ['text pretending to be an image', Buffer.from('this is not an image at all')],
  ];
  for (const [name, image] of cases) {
    for (const [field, value] of both(image)) {
      it(`refuses ${name} as ${field} with INVALID_ARGUMENT`, async () => {
        expect(await statusOf(field, value)).toBe('INVALID_ARGUMENT');
      });
    }
  }

  it('accepts header-only images at exactly the size limits (the limits are inclusive)', async () => {
    expect(await statusOf('file', makeHeaderOnlyImage({ format: 'jpeg', width: maxSide, height: maxSide }))).toBe('OK');
    expect(await statusOf('file', makeHeaderOnlyImage({ format: 'png', width: minSide, height: minSide }))).toBe('OK');
  });

  it('answers random bytes behind a JPEG or PNG signature with a documented answer (fast-check)', async () => {
    const signature = fc.constantFrom(Buffer.from([0xff, 0xd8, 0xff]), png.subarray(0, 8), jpeg.subarray(0, 2));
    await fc.assert(
      fc.asyncProperty(signature, fc.uint8Array({ maxLength: 600 }), async (head, tail) => {
        expect(['OK', 'INVALID_ARGUMENT']).toContain(await statusOf('file', Buffer.concat([head, tail])));
      }),
      { numRuns: 60 },
    );
  });

  it('answers real images with random bytes overwritten with a documented answer (fast-check)', async () => {
    const damage = fc.tuple(
      fc.constantFrom(jpeg, png),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(damage, async ([image, edits]) => {
        const copy = Buffer.from(image);
        for (const [at, value] of edits) copy[at % copy.length] = value;
        expect(['OK', 'INVALID_ARGUMENT']).toContain(await statusOf('file', copy));
      }),
      { numRuns: 60 },
    );
  });
});

describe('image_base64 dialects (spec decisions)', () => {
  // An image whose base64 has both '+' and '/' and needs padding, so every dialect question is real.
  const image = pickImage((b64) => b64.includes('+') && b64.includes('/') && b64.endsWith('='));
  const b64 = image.toString('base64');

  it('accepts MIME line breaks (CRLF every 76 characters)', async () => {
    expect(await statusOf('image_base64', b64.replace(/.{76}/g, '$&\r\n'))).toBe('OK');
  });

  it('accepts spaces, tabs and bare newlines anywhere', async () => {
    expect(await statusOf('image_base64', ` ${b64.slice(0, 100)}\t${b64.slice(100, 300)}\n ${b64.slice(300)} `)).toBe(
      'OK',
    );
  });

  it('accepts missing padding', async () => {
    expect(await statusOf('image_base64', b64.replace(/=+$/, ''))).toBe('OK');
  });

  it('refuses the URL-safe alphabet', async () => {
    expect(await statusOf('image_base64', b64.replaceAll('+', '-').replaceAll('/', '_'))).toBe('INVALID_ARGUMENT');
  });

  it('refuses a data: URL prefix', async () => {
    expect(await statusOf('image_base64', `data:image/jpeg;base64,${b64}`)).toBe('INVALID_ARGUMENT');
  });

  it('refuses too much padding, padding in the middle and impossible lengths', async () => {
    expect(await statusOf('image_base64', `${b64}==`)).toBe('INVALID_ARGUMENT');
    expect(await statusOf('image_base64', `${b64.slice(0, 8)}=${b64.slice(8)}`)).toBe('INVALID_ARGUMENT');
    expect(await statusOf('image_base64', `${b64.replace(/=+$/, '')}A`.slice(0, -2).concat('A'))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('treats an image_base64 of only white space as absent', async () => {
    expect(await statusOf('image_base64', ' \r\n\t ')).toBe('INVALID_ARGUMENT');
  });

  it('answers random text as image_base64 with INVALID_ARGUMENT (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 400 }), async (text) => {
        expect(await statusOf('image_base64', text)).toBe('INVALID_ARGUMENT');
      }),
      { numRuns: 60 },
    );
  });
});

function corruptAt(image: Buffer, at: number): Buffer {
  const copy = Buffer.from(image);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

function pickImage(wanted: (base64: string) => boolean): Buffer {
  for (let seed = 1; seed < 200; seed += 1) {
    const candidate = makeJpeg({ width: minSide, height: minSide, seed });
    if (wanted(candidate.toString('base64'))) return candidate;
  }
  throw new Error('no sample image has the wanted base64 shape');
}
