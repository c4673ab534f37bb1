import { describe, expect, it } from 'vitest';
import {
  compareBehaviour,
  DEFAULT_BEHAVIOUR_TOLERANCE,
  intersectionOverUnion,
} from '../../contracts/drift/compare-behaviour.js';

const ok = (result: Record<string, unknown>) => ({
  httpCode: 200,
  body: {
    status: 'OK',
    result: {
      gender: 'Male',
      confidence: 0.9,
      face_box: [100, 100, 200, 240],
      beard: true,
      beard_confidence: 0.8,
      ...result,
    },
  },
});

describe('behavioural comparison of a re-sent cassette image', () => {
  it('finds nothing when the answer is the recorded one', () => {
    expect(compareBehaviour(ok({}), ok({}))).toEqual([]);
  });

  it('flags a flipped gender and beard exactly, with both values', () => {
    const changes = compareBehaviour(ok({}), ok({ gender: 'Female', beard: false }));
    expect(changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['gender', 'Male', 'Female'],
      ['beard', true, false],
    ]);
  });

  it('lets a confidence move by the tolerance (0.05 by default) and flags more', () => {
    expect(DEFAULT_BEHAVIOUR_TOLERANCE).toEqual({ confidence: 0.05, minIou: 0.9 });
    expect(compareBehaviour(ok({}), ok({ confidence: 0.91 }))).toEqual([]);
    expect(compareBehaviour(ok({}), ok({ confidence: 0.95 }))).toEqual([]);
    const moved = compareBehaviour(ok({}), ok({ confidence: 0.7 }));
    expect(moved).toEqual([
      {
        field: 'confidence',
        before: 0.9,
        after: 0.7,
        detail: 'confidence moved by 0.2 (0.9 -> 0.7), more than the tolerance 0.05',
      },
    ]);
    expect(compareBehaviour(ok({}), ok({ beard_confidence: 0.7 }), { confidence: 0.2, minIou: 0.9 })).toEqual([]);
  });

  it('measures face boxes by intersection over union, read by the face-box decision', () => {
    expect(intersectionOverUnion([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(intersectionOverUnion([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3);
    expect(intersectionOverUnion([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    // As [x, y, w, h], [10, 10, 5, 5] is the square 10..15; as corners (right < left) it is no box at all.
    expect(intersectionOverUnion([10, 10, 5, 5], [10, 10, 5, 5], 'xywh')).toBe(1);
    expect(intersectionOverUnion([10, 10, 5, 5], [10, 10, 5, 5], 'ltrb')).toBe(0);
    expect(intersectionOverUnion([10, 10, 5, 5], [12, 10, 5, 5], 'xywh')).toBeCloseTo(15 / 35);
    expect(compareBehaviour(ok({}), ok({ face_box: [102, 101, 201, 242] }))).toEqual([]);
    const moved = compareBehaviour(ok({}), ok({ face_box: [140, 100, 240, 240] }));
    expect(moved.map((c) => c.field)).toEqual(['face_box']);
    expect(moved[0]?.detail).toMatch(/^face_box overlaps the recorded one by IoU 0\.429 .* less than 0\.9$/);
  });

  it('flags a changed status or HTTP code, and a result that disappeared', () => {
    const refused = { httpCode: 400, body: { status: 'DETECTION_FAILED', reason: 'no face' } };
    const changes = compareBehaviour(ok({}), refused).map((c) => c.field);
    expect(changes).toEqual(['httpCode', 'status', 'gender', 'beard', 'confidence', 'beard_confidence', 'face_box']);
    expect(compareBehaviour(refused, refused)).toEqual([]);
  });
});
