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

describe('image previews: a stream of large uploads reuses the evicted buffers', () => {
  const filled = (requestId: string, bytes: number, value: number) => ({
    requestId,
    format: 'jpeg' as const,
    bytes: new Uint8Array(bytes).fill(value),
  });

  it('writes a new image into the buffer of the one it evicts, and counts the whole buffer', () => {
    const previews = new ImagePreviews({ maxImages: 20, maxBytes: 1000 });
    previews.keep(filled('a', 600, 1));
    const first = previews.get('a');
    previews.keep(filled('b', 590, 2));
    // The evicted 600-byte buffer now holds b: the cap counts its 600 bytes, not b's 590.
    expect(previews.list()).toEqual({ requestIds: ['b'], bytes: 600 });
    expect(previews.get('b')?.bytes).toEqual(new Uint8Array(590).fill(2));
    // What was handed out before is a copy: a view still being sent never changes under its client.
    expect(first?.bytes).toEqual(new Uint8Array(600).fill(1));
  });

  it('hands out copies: changing one changes neither the kept image nor a later view', () => {
    const previews = new ImagePreviews({ maxImages: 2, maxBytes: 1000 });
    previews.keep(filled('a', 10, 7));
    const view = previews.get('a');
    view?.bytes.fill(0);
    expect(previews.get('a')?.bytes).toEqual(new Uint8Array(10).fill(7));
  });

  it('does not reuse a buffer much larger than the new image: the cap would count bytes nobody sees', () => {
    const previews = new ImagePreviews({ maxImages: 1, maxBytes: 1024 * 1024 });
    previews.keep(filled('a', 512 * 1024, 1));
    previews.keep(filled('b', 10, 2));
    expect(previews.list()).toEqual({ requestIds: ['b'], bytes: 10 });
    expect(previews.get('b')?.bytes).toEqual(new Uint8Array(10).fill(2));
  });
});
