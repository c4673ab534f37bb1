import { describe, expect, it } from 'vitest';
import { ImagePreviews } from '../../mock/core/image-previews.js';

const preview = (requestId: string, bytes: number) => ({
  requestId,
  format: 'jpeg' as const,
  bytes: new Uint8Array(bytes),
});

describe('image previews: a hard cap, oldest dropped first', () => {
  it('keeps at most maxImages, dropping the oldest', () => {
    const previews = new ImagePreviews({ maxImages: 3, maxBytes: 1000 });
    for (const id of ['a', 'b', 'c', 'd']) previews.keep(preview(id, 10));
    expect(previews.list()).toEqual({ requestIds: ['b', 'c', 'd'], bytes: 30 });
    expect(previews.get('a')).toBeUndefined();
  });

  it('keeps at most maxBytes together, dropping the oldest until the new one fits', () => {
    const previews = new ImagePreviews({ maxImages: 20, maxBytes: 100 });
    previews.keep(preview('a', 40));
    previews.keep(preview('b', 40));
    previews.keep(preview('c', 50));
    expect(previews.list()).toEqual({ requestIds: ['b', 'c'], bytes: 90 });
  });

  it('an image alone over the cap is not kept (metadata only) and drops nothing', () => {
    const previews = new ImagePreviews({ maxImages: 20, maxBytes: 100 });
    previews.keep(preview('a', 60));
    previews.keep(preview('huge', 101));
    expect(previews.list()).toEqual({ requestIds: ['a'], bytes: 60 });
  });

  it('keeps a copy of the bytes: the caller may reuse its buffer once the answer is sent', () => {
    const previews = new ImagePreviews();
    const kept = preview('a', 10);
    const original = Uint8Array.from(kept.bytes);
    previews.keep(kept);
    kept.bytes.fill(0xee);
    expect(previews.get('a')?.bytes).toEqual(original);
  });
});
