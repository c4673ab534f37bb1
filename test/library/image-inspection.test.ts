import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/image/image-inspection.js';
import { makeHeaderOnlyImage, makeJpeg, makePng, pngChunk } from '../../src/image/sample-images.js';
import { type ImageFormat, imageConstraints } from '../../src/spec/image-constraints.js';

const { minSide, maxSide, maxBytes } = imageConstraints();
const sidesRule = new RegExp(`each side must be ${minSide}\\.\\.${maxSide} px$`);
const makers = { jpeg: makeJpeg, png: makePng } as const;
const formats = ['jpeg', 'png'] as const satisfies readonly ImageFormat[];

describe('inspectImage accepts real images within the limits', () => {
  it.each(formats)('a %s of the smallest allowed size', (format) => {
    const image = makers[format]({ width: minSide, height: minSide });
    expect(inspectImage(image)).toEqual({ ok: true, format, width: minSide, height: minSide });
  });

  it.each(formats)('a non-square %s, reading width and height the right way round', (format) => {
    const image = makers[format]({ width: minSide + 72, height: minSide + 3, seed: 7 });
    expect(inspectImage(image)).toEqual({ ok: true, format, width: minSide + 72, height: minSide + 3 });
  });

  // 6000x6000 would be 36M pixels to encode; makeHeaderOnlyImage writes a whole structure (PNG: IHDR with its CRC,
  // IDAT, IEND; JPEG: SOF0, SOS, EOI) whose header claims the size, which is all inspectImage reads.
  it.each(formats)('a %s whose header says the largest allowed size', (format) => {
    const image = makeHeaderOnlyImage({ format, width: maxSide, height: maxSide });
    expect(inspectImage(image)).toEqual({ ok: true, format, width: maxSide, height: maxSide });
  });

  it.each(formats)('a %s of exactly the largest allowed byte count (padding after the image end)', (format) => {
    const image = makers[format]({ width: minSide, height: minSide });
    // After IEND and EOI decoders stop reading, so trailing bytes are a legal way to reach an exact size.
    const padded = Buffer.concat([image, Buffer.alloc(maxBytes - image.length)]);
    expect(padded.length).toBe(maxBytes);
    expect(inspectImage(padded)).toMatchObject({ ok: true, format });
  });

  it('a PNG with an ancillary chunk before IEND, of exactly the largest byte count', () => {
    const image = makePng({ width: minSide, height: minSide });
    const iend = image.length - 12;
    const filler = pngChunk('tEXt', Buffer.alloc(maxBytes - image.length - 12, 0x41));
    const padded = Buffer.concat([image.subarray(0, iend), filler, image.subarray(iend)]);
    expect(padded.length).toBe(maxBytes);
    expect(inspectImage(padded)).toMatchObject({ ok: true, format: 'png' });
  });
});

describe('inspectImage refuses sizes outside the limits, saying the size and the rule', () => {
  const cases: [string, number, number][] = [
    ['one pixel too narrow', minSide - 1, minSide],
    ['one pixel too short', minSide, minSide - 1],
  ];
  for (const format of formats) {
    it.each(cases)(`a real ${format} %s`, (_, width, height) => {
      const verdict = inspectImage(makers[format]({ width, height }));
      expect(verdict.ok).toBe(false);
      expect(verdict).toHaveProperty(
        'reason',
        `image is ${width}x${height} px; each side must be ${minSide}..${maxSide} px`,
      );
    });
  }

  const headerCases: [ImageFormat, number, number][] = [
    ['png', maxSide + 1, maxSide + 1],
    ['jpeg', maxSide + 1, maxSide],
    ['png', maxSide, maxSide + 1],
    ['png', 0, 0],
    ['jpeg', 0, 0],
    ['png', 70000, 70000],
    ['jpeg', 65535, 65535], // the largest side a JPEG header can hold
    ['png', 2 ** 32 - 1, 1],
  ];
  it.each(headerCases)('a %s whose header says %ix%i', (format, width, height) => {
    const verdict = inspectImage(makeHeaderOnlyImage({ format, width, height }));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toMatch(new RegExp(`^image is ${width}x${height} px; `));
      expect(verdict.reason).toMatch(sidesRule);
    }
  });

  it('an upload one byte over the limit, before looking at its content', () => {
    const verdict = inspectImage(Buffer.alloc(maxBytes + 1, 0xff));
    expect(verdict).toEqual({
      ok: false,
      reason: `image is 5.0 MB (${maxBytes + 1} bytes); at most ${maxBytes} bytes allowed`,
      problem: { kind: 'too-large', bytes: maxBytes + 1 },
    });
  });

  it('an over-limit upload reports its size in MB (MiB, as the spec reads the vendor) and bytes', () => {
    const verdict = inspectImage(new Uint8Array(6_501_234), { ...imageConstraints() });
    expect(verdict).toHaveProperty(
      'reason',
      expect.stringMatching(/^image is 6\.2 MB \(6501234 bytes\); at most \d+ bytes/),
    );
  });

  it('the constraints passed in, not the packaged ones', () => {
    const image = makePng({ width: 40, height: 40 });
    const narrow = { formats: ['png'], minSide: 10, maxSide: 50, maxBytes: image.length } as const;
    expect(inspectImage(image, narrow)).toEqual({ ok: true, format: 'png', width: 40, height: 40 });
    expect(inspectImage(image, { ...narrow, maxSide: 39 })).toHaveProperty(
      'reason',
      'image is 40x40 px; each side must be 10..39 px',
    );
    expect(inspectImage(image, { ...narrow, maxBytes: image.length - 1 })).toHaveProperty(
      'reason',
      expect.stringMatching(new RegExp(`\\(${image.length} bytes\\); at most ${image.length - 1} bytes allowed$`)),
    );
    expect(inspectImage(image, { ...narrow, formats: ['jpeg'] })).toHaveProperty(
      'reason',
      'image is not JPEG (it is a PNG image)',
    );
  });
});

describe('inspectImage refuses what is not a JPEG or PNG, saying what it looks like', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['zero bytes', new Uint8Array(0), /^image is empty \(0 bytes\); expected a JPEG or PNG image$/],
    [
      'text',
      Buffer.from('{"image": "not really"}\n'),
      /^image is not JPEG or PNG \(it looks like text: starts with "\{\\"image\\": \\"not really\\"\}\\n"\)$/,
    ],
    [
      'long text',
      Buffer.from('Lorem ipsum dolor sit amet, consectetur'),
      /it looks like text: starts with "Lorem ipsum dolor sit am\.\.\."/,
    ],
    [
      'binary junk',
      Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253, 254]),
      /^image is not JPEG or PNG \(starts with bytes 00 01 02 03 fa fb fc fd\)$/,
    ],
    ['one byte of a PNG signature', Uint8Array.from([0x89]), /^image is not JPEG or PNG \(starts with bytes 89\)$/],
  ];
  it.each(cases)('%s', (_, bytes, reason) => {
    const verdict = inspectImage(bytes);
    expect(verdict.ok).toBe(false);
    expect(verdict).toHaveProperty('reason', expect.stringMatching(reason));
  });

  // The kind is image-size's type name. TIFF, HEIC and ICO here are too short for image-size to read a size
  // (imageSize throws on them), yet it recognises them.
  const kinds: [string, Uint8Array, string, string][] = [
    ['a GIF', Buffer.from('GIF89a\x80\x00\x80\x00\x00\x00\x00;', 'latin1'), 'a gif image', 'gif'],
    [
      'a WebP',
      Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(30)]),
      'a webp image',
      'webp',
    ],
    ['a TIFF', Buffer.from('II*\x00\x08\x00\x00\x00', 'latin1'), 'a tiff image', 'tiff'],
    [
      'a HEIC (its ftyp box only)',
      Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic', 'latin1'),
      'a heif image',
      'heif',
    ],
    [
      'an ICO (its directory only)',
      Buffer.from('\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00\x68\x04\x00\x00\x16\x00\x00\x00', 'latin1'),
      'an ico image',
      'ico',
    ],
    [
      'a PDF, which image-size does not know',
      Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
      'a PDF document',
      'pdf',
    ],
  ];
  // `found` is what the mock's diagnosis (unsupported-format) shows as the offending value.
  it.each(kinds)('%s', (_, bytes, kind, found) => {
    expect(inspectImage(bytes)).toEqual({
      ok: false,
      reason: `image is not JPEG or PNG (it looks like ${kind})`,
      problem: { kind: 'format', found },
    });
  });
});

describe('inspectImage refuses truncated and corrupt images, saying where', () => {
  it.each(formats)('a %s cut at any byte is truncated', (format) => {
    const image = makers[format]({ width: minSide, height: minSide, seed: 3 });
    // The cut must keep the format's magic ("\x89PNG" or the JPEG SOI), or it is "not JPEG or PNG" instead.
    const firstCut = format === 'png' ? 4 : 2;
    const wrong: string[] = [];
    for (let keep = firstCut; keep < image.length; keep++) {
      const verdict = inspectImage(image.subarray(0, keep));
      if (verdict.ok || !new RegExp(`^${format.toUpperCase()} image is truncated: `).test(verdict.reason)) {
        wrong.push(`${keep}: ${JSON.stringify(verdict)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the cut chunk and how much of it arrived', () => {
    const image = makePng({ width: minSide, height: minSide });
    expect(inspectImage(image.subarray(0, 1000))).toHaveProperty(
      'reason',
      expect.stringMatching(/^PNG image is truncated: chunk IDAT at byte 33 declares \d+ bytes, only 955 follow$/),
    );
    expect(inspectImage(image.subarray(0, image.length - 12))).toHaveProperty(
      'reason',
      `PNG image is truncated: no IEND chunk (ends after ${image.length - 12} bytes)`,
    );
  });

  it('only the magic bytes', () => {
    const pngSignature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(inspectImage(pngSignature)).toHaveProperty(
      'reason',
      'PNG image is truncated: 8 bytes, too short for the IHDR chunk (33 bytes at least)',
    );
    expect(inspectImage(Uint8Array.from([0xff, 0xd8, 0xff]))).toHaveProperty(
      'reason',
      'JPEG image is truncated: ends after 3 bytes, before any frame header (SOF)',
    );
  });

  it('a PNG whose IHDR was changed after its CRC was written', () => {
    const image = makePng({ width: minSide, height: minSide });
    image.writeUInt32BE(maxSide, 16); // IHDR width
    expect(inspectImage(image)).toHaveProperty(
      'reason',
      expect.stringMatching(/^PNG image is corrupt: IHDR CRC is 0x[0-9a-f]{8}, expected 0x[0-9a-f]{8}$/),
    );
  });

  it('a PNG whose IHDR CRC bytes are damaged', () => {
    const image = makePng({ width: minSide, height: minSide });
    image[30] = (image[30] ?? 0) ^ 0x01;
    expect(inspectImage(image)).toHaveProperty('reason', expect.stringMatching(/IHDR CRC is .*, expected/));
  });

  it('a PNG whose signature went through a text-mode transfer (CRLF -> LF)', () => {
    const image = makePng({ width: minSide, height: minSide });
    const mangled = Buffer.concat([image.subarray(0, 4), image.subarray(5)]);
    expect(inspectImage(mangled)).toHaveProperty(
      'reason',
      'PNG signature is corrupt at byte 4: found 0x0a, expected 0x0d (was the file sent as text?)',
    );
  });

  it('PNG structures the spec forbids', () => {
    const png = makePng({ width: minSide, height: minSide });
    const signatureAndIhdr = png.subarray(0, 33);
    const ihdr = png.subarray(16, 29);
    const iend = pngChunk('IEND', new Uint8Array(0));
    const withDepth = (bitDepth: number) => {
      const data = Buffer.from(ihdr);
      data[8] = bitDepth;
      return Buffer.concat([png.subarray(0, 8), pngChunk('IHDR', data), png.subarray(33)]);
    };
    const reasons = [
      inspectImage(Buffer.concat([signatureAndIhdr, iend])),
      inspectImage(Buffer.concat([png.subarray(0, 8), pngChunk('gAMA', Buffer.alloc(4)), png.subarray(8)])),
      inspectImage(withDepth(3)),
      inspectImage(Buffer.concat([signatureAndIhdr, pngChunk('IHDR', ihdr), png.subarray(33)])),
      inspectImage(Buffer.concat([signatureAndIhdr, pngChunk('ID@T', Buffer.alloc(2)), png.subarray(33)])),
    ].map((verdict) => (verdict.ok ? 'accepted' : verdict.reason));
    expect(reasons).toEqual([
      'PNG image is corrupt: IEND before any IDAT chunk',
      'PNG image is corrupt: first chunk is "gAMA", expected IHDR',
      'PNG image is corrupt: IHDR bit depth 3 with colour type 6, expected one of 8, 16',
      'PNG image is corrupt: a second IHDR chunk at byte 33',
      'PNG image is corrupt: chunk at byte 33 has type "ID@T", expected 4 letters',
    ]);
  });

  it('a PNG chunk declaring more than the PNG maximum length', () => {
    const png = makePng({ width: minSide, height: minSide });
    png.writeUInt32BE(0xffffffff, 33);
    expect(inspectImage(png)).toHaveProperty(
      'reason',
      'PNG image is corrupt: chunk IDAT at byte 33 declares 4294967295 bytes, at most 2^31-1 allowed',
    );
  });

  it('JPEG structures the spec forbids', () => {
    const image = makeJpeg({ width: minSide, height: minSide });
    const sofAt = image.indexOf(Buffer.from([0xff, 0xc0]));
    const sosAt = image.indexOf(Buffer.from([0xff, 0xda]));
    const soi = image.subarray(0, 2);
    const eoi = Uint8Array.from([0xff, 0xd9]);
    const sof = image.subarray(sofAt, sofAt + 2 + (image.readUInt16BE(sofAt + 2) ?? 0));
    const reasons = [
      inspectImage(Buffer.concat([soi, eoi])),
      inspectImage(Buffer.concat([soi, sof, eoi])),
      inspectImage(Buffer.concat([soi, image.subarray(sosAt)])),
      inspectImage(Buffer.concat([image.subarray(0, sosAt), sof, image.subarray(sosAt)])),
      inspectImage(Buffer.concat([soi, Uint8Array.from([0x12, 0x34]), image.subarray(2)])),
      inspectImage(Buffer.concat([soi, Uint8Array.from([0xff, 0xe1, 0x00, 0x01]), image.subarray(2)])),
    ].map((verdict) => (verdict.ok ? 'accepted' : verdict.reason));
    expect(reasons).toEqual([
      'JPEG image is corrupt: EOI before any frame header (SOF)',
      'JPEG image is corrupt: EOI before any scan (SOS): no pixel data',
      'JPEG image is corrupt: scan (SOS) at byte 2 before any frame header (SOF)',
      `JPEG image is corrupt: a second frame header (SOF0 marker (0xFFC0)) at byte ${sosAt}`,
      'JPEG image is corrupt: expected a marker (0xFF) at byte 2, found 0x12',
      'JPEG image is corrupt: APP1 marker (0xFFE1) at byte 2 declares length 1, expected at least 2',
    ]);
  });

  // A JPEG ending in EOI is accepted once its first scan starts; bytes after EOI make inspectImage walk the scan
  // data to find EOI, which the trailer below forces.
  const trailer = Buffer.from('trailing bytes a camera appended');

  it('a JPEG with fill bytes before markers and restart markers in its scan data is whole', () => {
    const image = makeJpeg({ width: minSide, height: minSide });
    const sosAt = image.indexOf(Buffer.from([0xff, 0xda]));
    const withFill = Buffer.concat([image.subarray(0, sosAt), Uint8Array.from([0xff, 0xff]), image.subarray(sosAt)]);
    expect(inspectImage(withFill)).toMatchObject({ ok: true });
    const scanEnd = image.length - 2;
    const restart = Uint8Array.from([0xff, 0xd0, 0x00, 0xff, 0x00]);
    const withRestart = Buffer.concat([image.subarray(0, scanEnd), restart, image.subarray(scanEnd), trailer]);
    expect(inspectImage(withRestart)).toMatchObject({ ok: true });
    expect(inspectImage(new Uint8Array(withRestart))).toMatchObject({ ok: true });
  });

  it('a JPEG with several scans, as a progressive JPEG has, walked marker by marker', () => {
    const image = makeJpeg({ width: minSide, height: minSide });
    const sosAt = image.indexOf(Buffer.from([0xff, 0xda]));
    const scan = image.subarray(sosAt, image.length - 2);
    const twoScans = Buffer.concat([
      image.subarray(0, image.length - 2),
      scan,
      image.subarray(image.length - 2),
      trailer,
    ]);
    expect(inspectImage(twoScans)).toEqual({ ok: true, format: 'jpeg', width: minSide, height: minSide });
    const junkBetweenScans = Buffer.concat([image.subarray(0, image.length - 2), Uint8Array.from([0xff, 0xd8]), scan]);
    expect(inspectImage(Buffer.concat([junkBetweenScans, image.subarray(image.length - 2), trailer]))).toHaveProperty(
      'reason',
      `JPEG image is corrupt: the scan data of the SOS at byte 593 holds SOI marker (0xFFD8) at byte ${image.length - 2}`,
    );
    expect(inspectImage(Buffer.concat([image.subarray(0, image.length - 2), trailer]))).toHaveProperty(
      'reason',
      'JPEG image is truncated: no EOI marker after the scan data',
    );
  });
});

describe('inspectImage refuses a JPEG whose size image-size does not read as its frame header says', () => {
  // Legal JPEGs, but no encoder writes them; the size is read by image-size, which cannot read these (see measure).
  const image = makeJpeg({ width: minSide + 10, height: minSide });
  const sofAt = image.indexOf(Buffer.from([0xff, 0xc0]));

  it('a frame header right after SOI, or one of a kind image-size does not read (SOF9, arithmetic coding)', () => {
    // Tables may follow the frame header (T.81 B.2.4), so moving SOF0 to the front keeps the JPEG legal.
    const sofEnd = sofAt + 2 + image.readUInt16BE(sofAt + 2);
    const sof = image.subarray(sofAt, sofEnd);
    const sofFirst = Buffer.concat([image.subarray(0, 2), sof, image.subarray(2, sofAt), image.subarray(sofEnd)]);
    const arithmetic = Buffer.from(image);
    arithmetic[sofAt + 1] = 0xc9;
    for (const unread of [sofFirst, arithmetic]) {
      expect(inspectImage(unread)).toEqual({
        ok: false,
        reason: 'JPEG image size could not be read (image-size: Corrupt JPG, exceeded buffer limits)',
        problem: { kind: 'structure' },
      });
    }
  });

  it('a fill byte before an EXIF segment holding a thumbnail, which puts image-size out of step', () => {
    // After "FF(fill) FF E1" image-size takes "E1 FF" as a length, 0xE1FF, and lands that far into the segment,
    // where this thumbnail's frame header (160x120) waits.
    const app1 = Buffer.alloc(2 + 0xffff);
    app1.set([0xff, 0xe1, 0xff, 0xff]);
    app1.set([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 120, 0x00, 160], 1 + 0xe1ff);
    const outOfStep = Buffer.concat([image.subarray(0, sofAt), Uint8Array.from([0xff]), app1, image.subarray(sofAt)]);
    expect(inspectImage(outOfStep)).toEqual({
      ok: false,
      reason: `JPEG image size is ambiguous: its frame header says ${minSide + 10}x${minSide} px, image-size reads a jpg image of 160x120 px`,
      problem: { kind: 'structure' },
    });
    // The same segment without the fill byte is read in step.
    const inStep = Buffer.concat([image.subarray(0, sofAt), app1, image.subarray(sofAt)]);
    expect(inspectImage(inStep)).toEqual({ ok: true, format: 'jpeg', width: minSide + 10, height: minSide });
  });
});

describe('inspectImage never throws', () => {
  const isVerdict = (verdict: unknown) =>
    typeof verdict === 'object' &&
    verdict !== null &&
    (('ok' in verdict && verdict.ok === true) ||
      ('reason' in verdict && typeof verdict.reason === 'string' && /^(image|PNG|JPEG) /.test(verdict.reason)));

  it('on arbitrary bytes, with or without a PNG or JPEG start', () => {
    const start = fc.constantFrom(
      new Uint8Array(0),
      Uint8Array.from([0xff, 0xd8]),
      Uint8Array.from([0xff, 0xd8, 0xff]),
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    fc.assert(
      fc.property(start, fc.uint8Array({ maxLength: 300 }), (head, tail) => {
        expect(isVerdict(inspectImage(Buffer.concat([head, tail])))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each(formats)('on a real %s with bytes overwritten, inserted or cut', (format) => {
    const image = makers[format]({ width: minSide, height: minSide, seed: 11 });
    const edit = fc.record({
      at: fc.nat({ max: image.length - 1 }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      kind: fc.constantFrom('overwrite', 'insert', 'cut'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let bytes = Buffer.from(image);
        for (const { at, bytes: patch, kind } of edits) {
          const head = bytes.subarray(0, Math.min(at, bytes.length));
          const tail = bytes.subarray(Math.min(at + (kind === 'insert' ? 0 : patch.length), bytes.length));
          bytes = Buffer.concat(kind === 'cut' ? [head, tail] : [head, patch, tail]);
        }
        expect(isVerdict(inspectImage(bytes))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('on a PNG header claiming any size', () => {
    // Mostly near the limits, where a comparison could be off by one, sometimes anywhere a PNG header allows.
    const side = fc.oneof(fc.integer({ min: 0, max: 2 * maxSide }), fc.nat({ max: 2 ** 32 - 1 }));
    fc.assert(
      fc.property(side, side, (width, height) => {
        const verdict = inspectImage(makeHeaderOnlyImage({ format: 'png', width, height }));
        const inside = [width, height].every((side) => side >= minSide && side <= maxSide);
        expect(verdict).toEqual(
          inside
            ? { ok: true, format: 'png', width, height }
            : { ok: false, reason: expect.stringMatching(sidesRule), problem: { kind: 'sides', width, height } },
        );
      }),
    );
  });
});

describe('sample images are real images', () => {
  it('makeJpeg and makePng decode to the size asked for', () => {
    const decodedJpeg = jpeg.decode(makeJpeg({ width: 130, height: 129 }));
    expect([decodedJpeg.width, decodedJpeg.height]).toEqual([130, 129]);
    const decodedPng = PNG.sync.read(makePng({ width: 131, height: 132 }));
    expect([decodedPng.width, decodedPng.height]).toEqual([131, 132]);
  });

  it.each(formats)('%s: the same seed gives the same bytes, another seed other bytes', (format) => {
    const options = { width: minSide, height: minSide, noise: true };
    expect(makers[format]({ ...options, seed: 5 }).equals(makers[format]({ ...options, seed: 5 }))).toBe(true);
    expect(makers[format]({ ...options, seed: 5 }).equals(makers[format]({ ...options, seed: 6 }))).toBe(false);
    expect(
      makers[format]({ width: minSide, height: minSide, seed: 0 }).equals(
        makers[format]({ width: minSide, height: minSide, seed: 1 }),
      ),
    ).toBe(false);
  });

  it('a noisy 640x480 JPEG at the default quality is about the 100 KB the benchmark wants', () => {
    const size = makeJpeg({ width: 640, height: 480, noise: true }).length;
    expect(size).toBeGreaterThan(80_000);
    expect(size).toBeLessThan(120_000);
  });

  it('makeHeaderOnlyImage refuses a side its format cannot hold', () => {
    expect(() => makeHeaderOnlyImage({ format: 'jpeg', width: 70000, height: 1 })).toThrow(/0\.\.65535 px, not 70000/);
  });
});
