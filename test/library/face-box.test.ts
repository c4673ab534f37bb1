import { describe, expect, it } from 'vitest';
import { faceBoxAs, faceBoxEdges } from '../../src/image/face-box.js';

describe('face_box readings', () => {
  it("reads the vendor's sample under both readings, and writes each edge set back as it was read", () => {
    const sample = [81, 88, 244, 299] as const;
    expect(faceBoxEdges(sample, 'ltrb')).toEqual({ left: 81, top: 88, right: 244, bottom: 299 });
    expect(faceBoxEdges(sample, 'xywh')).toEqual({ left: 81, top: 88, right: 325, bottom: 387 });
    for (const reading of ['ltrb', 'xywh'] as const) {
      expect(faceBoxAs(faceBoxEdges(sample, reading), reading)).toEqual([...sample]);
    }
    // One box, written under each reading: what the mock answers under decision face-box.
    const edges = { left: 10, top: 20, right: 110, bottom: 150 };
    expect(faceBoxAs(edges, 'ltrb')).toEqual([10, 20, 110, 150]);
    expect(faceBoxAs(edges, 'xywh')).toEqual([10, 20, 100, 130]);
  });
});
