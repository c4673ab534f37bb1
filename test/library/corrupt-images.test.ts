import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { setupServer } from 'msw/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMswHandlers } from '../../mock/msw/index.js';
import type { DecisionChoice } from '../../src/generated/decisions.js';
import { ADAM7_PASSES } from '../../src/image/formats/png-structure.js';
import { inspectImage, inspectImageThoroughly } from '../../src/image/image-inspection.js';
import { makeJpeg, makePng, pngChunk } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

// Decision corrupt-image: damaged data in an image whose format and size can be read. Each damage is sent over real
// HTTP to a mock run under each reading, and through the MSW handlers; valid images from encoders other than the
// sample helpers' must pass the same checks (a false "corrupt" would refuse a user's good photo).

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Seeded bytes (mulberry32), the same every run. */
function seededBytes(length: number, seed: number): Buffer {
  let state = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** The chunks of a PNG, in order: type and data. */
function chunksOf(png: Buffer): { type: string; data: Buffer }[] {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** A PNG from chunks, each with a right CRC. */
function pngOf(chunks: readonly { type: string; data: Uint8Array }[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks.map(({ type, data }) => pngChunk(type, data))]);
}

/** `png` with its image data replaced (one IDAT, CRC right). */
function withImageData(png: Buffer, data: Uint8Array): Buffer {
  const chunks = chunksOf(png).filter(({ type }) => type !== 'IDAT');
  const iend = chunks.pop();
  if (!iend) throw new Error('no IEND');
  return pngOf([...chunks, { type: 'IDAT', data }, iend]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number, interlace: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([bitDepth, colourType, 0, 0, interlace], 8);
  return data;
}

/** The JPEG's segments and scan: where its first SOS's data starts, and the file without its EOI. */
function scanStart(image: Buffer): number {
  const sos = image.indexOf(Buffer.from([0xff, 0xda]));
  return sos + 2 + image.readUInt16BE(sos + 2);
}

const side = 256;
const goodPng = makePng({ width: side, height: side, seed: 21 });
const goodJpeg = makeJpeg({ width: side, height: side, seed: 22 });
const idat = Buffer.concat(
  chunksOf(goodPng)
    .filter(({ type }) => type === 'IDAT')
    .map(({ data }) => data),
);

/** Each damage, and the words its INVALID_ARGUMENT reason must say. */
const CORRUPT: readonly { name: string; image: Buffer; says: RegExp }[] = [
  {
    name: 'a PNG with a bad IDAT CRC',
    image: (() => {
      const damaged = Buffer.from(goodPng);
      const at = damaged.indexOf('IDAT', 8, 'latin1') + 4 + 100;
      damaged[at] = (damaged[at] ?? 0) ^ 0x01;
      return damaged;
    })(),
    says: /^PNG image is corrupt: chunk IDAT at byte 33 has CRC 0x[0-9a-f]{8}, expected 0x[0-9a-f]{8}$/,
  },
  {
    name: 'a PNG whose IDAT is not zlib',
    image: withImageData(goodPng, seededBytes(4000, 5)),
    says: /^PNG image is corrupt: the image data \(IDAT\) does not start with a zlib header/,
  },
  {
    name: 'a PNG whose IDAT has a zlib header and then random bytes',
    image: withImageData(goodPng, Buffer.concat([idat.subarray(0, 2), seededBytes(4000, 6)])),
    says: /^PNG image is corrupt: the image data \(IDAT\) is not a valid zlib stream/,
  },
  {
    name: 'a PNG whose zlib stream is cut short (CRCs right)',
    image: withImageData(goodPng, idat.subarray(0, Math.floor(idat.length / 2))),
    says: /^PNG image is corrupt: the image data \(IDAT\) is cut short$/,
  },
  {
    name: 'a PNG whose stream inflates past its IHDR size',
    image: withImageData(goodPng, deflateSync(Buffer.alloc(side * (1 + side * 4) + 1))),
    says: /inflates to more than the 262400 bytes its IHDR size holds$/,
  },
  {
    name: 'a PNG cut inside its IDAT',
    image: goodPng.subarray(0, 200),
    says: /^PNG image is truncated: chunk IDAT at byte 33 declares/,
  },
  {
    name: 'a JPEG whose scan data is random',
    image: Buffer.concat([
      goodJpeg.subarray(0, scanStart(goodJpeg)),
      seededBytes(goodJpeg.length - scanStart(goodJpeg) - 2, 7),
      Buffer.from([0xff, 0xd9]),
    ]),
    says: /^JPEG image is corrupt: the scan data of the SOS at byte \d+ holds reserved marker 0xFF[0-9A-F]{2} at byte \d+$/,
  },
  {
    name: 'a JPEG without its EOI',
    image: goodJpeg.subarray(0, goodJpeg.length - 2),
    says: /^JPEG image is truncated: no EOI marker after the scan data$/,
  },
  {
    name: 'a JPEG whose DHT declares a wrong length',
    image: (() => {
      const damaged = Buffer.from(goodJpeg);
      const dht = damaged.indexOf(Buffer.from([0xff, 0xc4]));
      damaged.writeUInt16BE(damaged.readUInt16BE(dht + 2) - 3, dht + 2);
      return damaged;
    })(),
    says: /^JPEG image is corrupt: expected a marker \(0xFF\) at byte \d+, found 0x[0-9a-f]{2}$/,
  },
];

describe('what counts as corrupt: the inspection names the damage', () => {
  it.each(CORRUPT)('$name', async ({ image, says }) => {
    const verdict = await inspectImageThoroughly(image);
    expect(verdict).toMatchObject({ ok: false, corrupt: { width: side, height: side } });
    expect(verdict.ok ? '' : verdict.reason).toMatch(says);
  });

  it('the undamaged images they were made from pass', async () => {
    expect(await inspectImageThoroughly(goodPng)).toEqual({ ok: true, format: 'png', width: side, height: side });
    expect(await inspectImageThoroughly(goodJpeg)).toEqual({ ok: true, format: 'jpeg', width: side, height: side });
  });

  it('damage before the size is known is a plain refusal, never "corrupt"', async () => {
    const badIhdr = Buffer.from(goodPng);
    badIhdr[20] = (badIhdr[20] ?? 0) ^ 0x01;
    const verdict = await inspectImageThoroughly(badIhdr);
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(/^PNG image is corrupt: IHDR CRC/),
      problem: { kind: 'structure' },
    });
    const cutBeforeFrame = goodJpeg.subarray(0, 30);
    expect(inspectImage(cutBeforeFrame)).not.toHaveProperty('corrupt');
  });
});

// Valid files written the way other encoders write them, each checked by an independent decoder (pngjs, jpeg-js).
function interlacedPng(): Buffer {
  // Adam7 (PNG spec 8.2), 8-bit RGB, each pass's rows filtered with type 0; pngjs reads it back below.
  const width = 200;
  const height = 150;
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of ADAM7_PASSES) {
    for (let y = y0; y < height; y += dy) {
      const row: number[] = [0];
      for (let x = x0; x < width; x += dx) row.push(x & 0xff, y & 0xff, (x + y) & 0xff);
      rows.push(Buffer.from(row));
    }
  }
  return pngOf([
    { type: 'IHDR', data: ihdr(width, height, 8, 2, 1) },
    { type: 'IDAT', data: deflateSync(Buffer.concat(rows)) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}

function palettePng(): Buffer {
  // 4-bit palette: two pixels a byte, 16 colours in PLTE.
  const width = 161;
  const height = 140;
  const rowBytes = Math.ceil(width / 2);
  const raw = Buffer.alloc(height * (1 + rowBytes));
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowBytes; i++) raw[y * (1 + rowBytes) + 1 + i] = ((y + i) & 0x0f) * 0x11;
  }
  const palette = Buffer.from(Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 16, 128]).flat());
  return pngOf([
    { type: 'IHDR', data: ihdr(width, height, 4, 3, 0) },
    { type: 'PLTE', data: palette },
    { type: 'IDAT', data: deflateSync(raw) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}

function multiIdatPng(): Buffer {
  const chunks = chunksOf(goodPng);
  const pieces = [idat.subarray(0, 1), idat.subarray(1, 1000), idat.subarray(1000)];
  return pngOf([
    ...chunks.filter(({ type }) => type !== 'IDAT' && type !== 'IEND'),
    ...pieces.map((data) => ({ type: 'IDAT', data })),
    { type: 'tEXt', data: Buffer.from('Comment\0after the image data', 'latin1') },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}

function sixteenBitPng(): Buffer {
  const png = new PNG({ width: 130, height: 300, bitDepth: 16, colorType: 6, inputHasAlpha: true });
  png.data = Buffer.alloc(130 * 300 * 8, 0x5a);
  return PNG.sync.write(png, { bitDepth: 16, colorType: 6, inputHasAlpha: true });
}

/**
 * A baseline JPEG with a restart marker after every MCU row, as cameras write them: jpeg-js encodes each 8-row strip
 * alone (so its DC predictions start from zero and its bits end byte-aligned, which is what a restart does), and
 * the strips' scan data are joined with RST0..7 under the whole image's headers and a DRI.
 */
let restartJpegMade: Buffer | undefined;
function restartJpeg(): Buffer {
  restartJpegMade ??= makeRestartJpeg();
  return restartJpegMade;
}

function makeRestartJpeg(): Buffer {
  const width = 200;
  const height = 160;
  const whole = makeJpeg({ width, height, seed: 31, quality: 80 });
  const pixels = jpeg.decode(whole, { useTArray: true, formatAsRGBA: true }).data;
  const strips: Buffer[] = [];
  for (let y = 0; y < height; y += 8) {
    const data = Buffer.from(pixels.subarray(y * width * 4, (y + 8) * width * 4));
    const strip = Buffer.from(jpeg.encode({ data, width, height: 8 }, 80).data);
    strips.push(strip.subarray(scanStart(strip), strip.length - 2));
  }
  const sos = whole.indexOf(Buffer.from([0xff, 0xda]));
  const dri = Buffer.from([0xff, 0xdd, 0, 4, 0, Math.ceil(width / 8)]);
  const scan = strips.flatMap((strip, i) =>
    i === strips.length - 1 ? [strip] : [strip, Buffer.from([0xff, 0xd0 + (i % 8)])],
  );
  return Buffer.concat([
    whole.subarray(0, sos),
    dri,
    whole.subarray(sos, scanStart(whole)),
    ...scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A progressive JPEG (SOF2, ten scans) from outside this repository: autocannon's test photo, 1169x584. */
function progressiveJpeg(): Buffer {
  const root = dirname(createRequire(import.meta.url).resolve('autocannon/package.json'));
  return readFileSync(join(root, 'test', 'j5.jpeg'));
}

const VALID: readonly { name: string; image: () => Buffer; decode: (image: Buffer) => unknown }[] = [
  { name: 'an interlaced PNG', image: interlacedPng, decode: (image) => PNG.sync.read(image) },
  { name: 'a 4-bit palette PNG', image: palettePng, decode: (image) => PNG.sync.read(image) },
  { name: 'a PNG with three IDAT chunks', image: multiIdatPng, decode: (image) => PNG.sync.read(image) },
  { name: 'a 16-bit RGBA PNG', image: sixteenBitPng, decode: (image) => PNG.sync.read(image) },
  { name: 'a JPEG with restart markers', image: restartJpeg, decode: (image) => jpeg.decode(image) },
  { name: 'a progressive JPEG', image: progressiveJpeg, decode: (image) => jpeg.decode(image) },
];

describe('valid images from other encoders are not corrupt', () => {
  const mock = useMock();
  it.each(VALID)('$name', async ({ image, decode }) => {
    const bytes = image();
    expect(() => decode(bytes)).not.toThrow();
    expect(await inspectImageThoroughly(bytes)).toMatchObject({ ok: true });
    expectAnswer(await callPredict(mock.url, { file: bytes }), 'OK');
  });

  it('the restart-marker JPEG has its markers, and decodes to the pixels of the image it was cut from', () => {
    const bytes = restartJpeg();
    expect(bytes.includes(Buffer.from([0xff, 0xdd]))).toBe(true);
    expect(bytes.includes(Buffer.from([0xff, 0xd7]))).toBe(true);
    const whole = makeJpeg({ width: 200, height: 160, seed: 31, quality: 80 });
    const pixelsOf = (image: Buffer) => Buffer.from(jpeg.decode(image, { useTArray: true }).data);
    // Re-encoding the decoded pixels is lossy, so the two decode alike, not identically.
    const a = pixelsOf(bytes);
    const b = pixelsOf(whole);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    expect(diff / a.length).toBeLessThan(4);
  });
});

const READINGS: readonly {
  reading: DecisionChoice<'corrupt-image'>;
  expectStatus: 'INVALID_ARGUMENT' | 'DETECTION_FAILED' | 'OK';
}[] = [
  { reading: 'invalid-argument', expectStatus: 'INVALID_ARGUMENT' },
  { reading: 'detection-failed', expectStatus: 'DETECTION_FAILED' },
  { reading: 'accept', expectStatus: 'OK' },
];

/** A PNG whose IHDR is damaged: no size can be read, so every reading refuses it as a parameter error. */
const unreadable = (() => {
  const damaged = Buffer.from(goodPng);
  damaged[20] = (damaged[20] ?? 0) ^ 0x01;
  return damaged;
})();

describe.each(READINGS)('decisions.corrupt-image: $reading, over real HTTP', ({ reading, expectStatus }) => {
  const mock = useMock({ config: { decisions: { 'corrupt-image': reading } } });
  it.each(CORRUPT)(`$name -> ${expectStatus}`, async ({ image, says }) => {
    const body = expectAnswer(await callPredict(mock.url, { file: image }), expectStatus);
    if (expectStatus === 'INVALID_ARGUMENT') expect(body.reason).toMatch(says);
    if (expectStatus === 'DETECTION_FAILED') expect(body.reason).toMatch(/^image could not be decoded: /);
    if (expectStatus === 'OK') expect(body.result.face_box).toHaveLength(4);
  });
  it('an image whose size cannot be read is INVALID_ARGUMENT, and a good one OK', async () => {
    expectAnswer(await callPredict(mock.url, { file: unreadable }), 'INVALID_ARGUMENT');
    expectAnswer(await callPredict(mock.url, { file: goodPng }), 'OK');
    expectAnswer(await callPredict(mock.url, { imageBase64: goodJpeg.toString('base64') }), 'OK');
  });
});

describe('decisions.corrupt-image through the MSW handlers', () => {
  const KEY = { id: 'corrupt-id', secret: 'corrupt-secret-0b7d2e' };
  const origin = (reading: string) => `https://${reading}.corrupt-image.test`;
  const server = setupServer(
    ...READINGS.flatMap(
      ({ reading }) =>
        createMswHandlers({
          baseUrl: origin(reading),
          config: { keys: [KEY], decisions: { 'corrupt-image': reading } },
        }).handlers,
    ),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it.each(READINGS)('$reading: every damaged image gets $expectStatus', async ({ reading, expectStatus }) => {
    const credentials = { 'X-DF-API-ID': KEY.id, 'X-DF-API-SECRET': KEY.secret };
    for (const { name, image } of CORRUPT) {
      const answer = await callPredict(origin(reading), { file: image, credentials });
      expect(JSON.parse(answer.text).status, name).toBe(expectStatus);
    }
    const unreadableAnswer = await callPredict(origin(reading), { file: unreadable, credentials });
    expect(JSON.parse(unreadableAnswer.text).status).toBe('INVALID_ARGUMENT');
  });
});
