import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/image/image-inspection.js';
import { imageSha256, predictFromImage } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import type { PredictGenderResult } from '../../src/types.js';
import { specValidators } from '../../src/validation/spec-validators.js';

const { minSide, maxSide } = imageConstraints();
const side = fc.integer({ min: 1, max: 2 * maxSide });
const size = fc.record({ width: side, height: side });
const image = fc.uint8Array({ minLength: 0, maxLength: 64 });
const digest = image.map(imageSha256);

function expectPlausible(result: PredictGenderResult, { width, height }: { width: number; height: number }): void {
  expect(specValidators().schema('PredictGenderResult', result)).toEqual({ valid: true });
  expect(['Male', 'Female']).toContain(result.gender);
  expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(result.beard_confidence).toBeGreaterThanOrEqual(0);
  expect(result.beard_confidence).toBeLessThanOrEqual(1);
  expect(result.beard).toBe(result.beard_confidence >= 0.5);
  for (const value of [result.confidence, result.beard_confidence]) {
    expect(Number(value.toFixed(6))).toBe(value);
  }
  const [left = -1, top = -1, right = -1, bottom = -1] = result.face_box;
  expect(result.face_box.every(Number.isInteger)).toBe(true);
  expect(0 <= left && left < right && right <= width).toBe(true);
  expect(0 <= top && top < bottom && bottom <= height).toBe(true);
  const shorter = Math.min(width, height);
  // 30%..80% of the shorter side, give or take the rounding to whole pixels and a floor of one pixel.
  expect(right - left).toBeGreaterThanOrEqual(Math.min(shorter, Math.max(1, Math.floor(0.3 * shorter))));
  expect(right - left).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.8 * shorter)));
}

describe('predictFromImage', () => {
  it('gives the same result for the same bytes, wherever they come from', () => {
    fc.assert(
      fc.property(image, size, (bytes, imageSize) => {
        const first = predictFromImage(imageSha256(bytes), imageSize);
        expect(predictFromImage(imageSha256(Buffer.from(bytes)), { ...imageSize })).toEqual(first);
        expect(predictFromImage(imageSha256(new Uint8Array([...bytes])), imageSize)).toEqual(first);
      }),
    );
  });

  it('keeps the answers users have recorded: the same image still gets the same result', () => {
    // Computed before predictFromImage took the digest instead of the bytes (it hashed them itself); recorded pacts
    // and users' snapshots hold results like this one, so a change here is a change of the mock's behaviour.
    const bytes = new TextEncoder().encode('accuauth-kit');
    expect(predictFromImage(imageSha256(bytes), { width: 640, height: 480 })).toEqual({
      gender: 'Female',
      confidence: 0.957718,
      face_box: [235, 45, 546, 449],
      beard: false,
      beard_confidence: 0.007051,
    });
  });

  it('refuses anything but a lowercase hex sha256, which would silently give a different answer', () => {
    const bytes = new TextEncoder().encode('accuauth-kit');
    expect(() => predictFromImage(imageSha256(bytes).toUpperCase(), { width: 640, height: 480 })).toThrow(TypeError);
    expect(() => predictFromImage(imageSha256(bytes).slice(1), { width: 640, height: 480 })).toThrow(TypeError);
  });

  it('gives a result the spec admits, inside the image, for any bytes and any size', () => {
    fc.assert(
      fc.property(digest, size, (sha256, imageSize) => {
        expectPlausible(predictFromImage(sha256, imageSize), imageSize);
      }),
      { numRuns: 2000 },
    );
  });

  it('is plausible for real sample images of the allowed sizes', () => {
    for (const [make, width, height] of [
      [makeJpeg, minSide, minSide],
      [makePng, minSide + 50, minSide],
      [makeJpeg, minSide, minSide + 90],
    ] as const) {
      const bytes = make({ width, height, seed: width + height });
      const verdict = inspectImage(bytes);
      if (!verdict.ok) throw new Error(verdict.reason);
      expectPlausible(predictFromImage(imageSha256(bytes), verdict), { width, height });
    }
  });

  it('varies with the bytes: both genders, with and without beard, many boxes', () => {
    const results = Array.from({ length: 200 }, (_, i) =>
      predictFromImage(imageSha256(Uint8Array.of(i)), { width: 640, height: 480 }),
    );
    expect(new Set(results.map((r) => r.gender))).toEqual(new Set(['Male', 'Female']));
    expect(new Set(results.map((r) => r.beard))).toEqual(new Set([true, false]));
    expect(new Set(results.map((r) => r.face_box.join(','))).size).toBeGreaterThan(190);
    expect(new Set(results.map((r) => r.confidence)).size).toBeGreaterThan(190);
  });

  it('keeps the beard of a Female result under the threshold', () => {
    fc.assert(
      fc.property(digest, (sha256) => {
        const result = predictFromImage(sha256, { width: 640, height: 480 });
        if (result.gender === 'Female') expect(result.beard).toBe(false);
      }),
    );
  });

  it('scales the face box with the image', () => {
    const sha256 = imageSha256(makeJpeg({ width: minSide, height: minSide }));
    const small = predictFromImage(sha256, { width: minSide, height: minSide });
    const large = predictFromImage(sha256, { width: 10 * minSide, height: 10 * minSide });
    const width = (box: number[]) => (box[2] ?? 0) - (box[0] ?? 0);
    expect(Math.abs(width(large.face_box) - 10 * width(small.face_box))).toBeLessThanOrEqual(10);
    expect(large.gender).toBe(small.gender);
  });
});

describe('imageSha256', () => {
  it('is the lowercase hex sha256 of the bytes', () => {
    expect(imageSha256(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const bytes = makePng({ width: minSide, height: minSide });
    expect(imageSha256(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(imageSha256(bytes.subarray(1))).not.toBe(imageSha256(bytes));
  });
});
