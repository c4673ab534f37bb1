import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FACE_BOX_NUMBERS,
  faceBoxNumbers,
  faceBoxEdges as pageFaceBoxEdges,
} from '../../mock/admin/dashboard/page/face-box.js';
import { DECISION_ALTERNATIVES } from '../../src/generated/decisions.js';
import { faceBoxEdges } from '../../src/image/face-box.js';

/**
 * The dashboard's page cannot import src/image/face-box.ts at run time (it is served as it is, no build step), so it
 * has its own copy of the reading; this proves the copy reads every box as the library does, under every reading
 * the decision face-box offers.
 */
describe("the dashboard's face_box reading", () => {
  const readings = DECISION_ALTERNATIVES['face-box'];
  const pixel = fc.integer({ min: -10_000, max: 10_000 });
  const box = fc.tuple(pixel, pixel, pixel, pixel);

  it('names the numbers of every reading of decision face-box, and no other', () => {
    expect(Object.keys(FACE_BOX_NUMBERS).sort()).toEqual([...readings].sort());
  });

  it('agrees with src/image/face-box.ts for every box under both readings', () => {
    for (const reading of readings) {
      fc.assert(
        fc.property(box, (numbers) => {
          expect(pageFaceBoxEdges(numbers, reading)).toEqual(faceBoxEdges(numbers, reading));
        }),
      );
    }
    // The vendor's sample, where the two readings part: the copy is not blind to the reading.
    const sample = [81, 88, 244, 299] as const;
    expect(pageFaceBoxEdges(sample, 'ltrb')).toEqual({ left: 81, top: 88, right: 244, bottom: 299 });
    expect(pageFaceBoxEdges(sample, 'xywh')).toEqual({ left: 81, top: 88, right: 325, bottom: 387 });
  });

  it('draws only four finite numbers (a replayed answer may carry anything)', () => {
    expect(faceBoxNumbers([81, 88, 244, 299])).toEqual([81, 88, 244, 299]);
    for (const bad of [undefined, null, 'x', [1, 2, 3], [1, 2, 3, 4, 5], [1, 2, '3', 4], [1, 2, Number.NaN, 4]]) {
      expect(faceBoxNumbers(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
