import type { ImageFormat } from '../../src/spec/image-constraints.js';

export interface ImagePreview {
  requestId: string;
  format: ImageFormat;
  bytes: Uint8Array;
}

export interface ImagePreviewLimits {
  /** How many images are kept at most. */
  maxImages: number;
  /** How many bytes all kept images may hold together. */
  maxBytes: number;
}

/**
 * The dashboard's default: the last 20 images and at most 8 MiB together (one image at the 5 MiB limit, or all 20 of
 * a webcam's ~100 KB), so previews never dominate the RSS: at 20 MiB they were four near-limit images, 20 of the
 * mock's ~150 MiB peak under 50 concurrent 5 MiB uploads.
 */
export const DEFAULT_PREVIEW_LIMITS: ImagePreviewLimits = { maxImages: 20, maxBytes: 8 * 1024 * 1024 };

/**
 * The latest accepted uploads of this process, for the dashboard to draw: a hard cap on count and bytes, oldest
 * dropped first. Each kept image is a copy of its bytes (never re-encoded): the adapter reads large uploads into
 * buffers it reuses once the answer is sent (which bounds memory under many large uploads), so a reference would
 * later show another upload's bytes. The copy goes into the buffer of the preview it evicts when that one is large
 * enough (and not much larger): under a stream of large uploads a fresh 5 MiB copy per request was garbage that
 * outlived its use until V8's next collection (~30 MiB of the mock's peak RSS with 50 x 5 MiB uploads); reused,
 * the previews hold what the cap says and make no garbage. Because a kept buffer may be reused, `get` hands out a
 * copy (a dashboard view is rare; an answer still being written must not change under the client). The cap counts
 * the buffers' whole size, so it is exact. An image that alone is over the byte cap is not kept (the dashboard shows
 * its metadata only). Per process, never shared: a shared state's other mocks keep their own.
 */
export class ImagePreviews {
  private readonly kept = new Map<string, ImagePreview>();
  private heldBytes = 0;

  constructor(readonly limits: ImagePreviewLimits = DEFAULT_PREVIEW_LIMITS) {}

  keep(preview: ImagePreview): void {
    const size = preview.bytes.byteLength;
    if (size > this.limits.maxBytes || this.limits.maxImages === 0) return;
    this.drop(preview.requestId);
    let spare: ArrayBuffer | undefined;
    // Map iterates in insertion order: the first key is the oldest.
    for (const [requestId, oldest] of this.kept) {
      if (this.kept.size < this.limits.maxImages && this.heldBytes + size <= this.limits.maxBytes) break;
      this.drop(requestId);
      const buffer = oldest.bytes.buffer as ArrayBuffer;
      if (spare === undefined && buffer.byteLength >= size && buffer.byteLength <= size + REUSE_SLACK_BYTES) {
        spare = buffer;
      }
    }
    // A spare fits the cap: it was held together with the rest before it was dropped.
    const backing = spare ?? new ArrayBuffer(size);
    const bytes = new Uint8Array(backing, 0, size);
    bytes.set(preview.bytes);
    this.kept.set(preview.requestId, { ...preview, bytes });
    this.heldBytes += backing.byteLength;
  }

  /** A copy of the kept image: its buffer may be reused for a later upload. */
  get(requestId: string): ImagePreview | undefined {
    const preview = this.kept.get(requestId);
    return preview && { ...preview, bytes: preview.bytes.slice() };
  }

  /** What is held, oldest first, without the bytes. */
  list(): { requestIds: string[]; bytes: number } {
    return { requestIds: [...this.kept.keys()], bytes: this.heldBytes };
  }

  clear(): void {
    this.kept.clear();
    this.heldBytes = 0;
  }

  private drop(requestId: string): void {
    const preview = this.kept.get(requestId);
    if (!preview) return;
    this.kept.delete(requestId);
    this.heldBytes -= preview.bytes.buffer.byteLength;
  }
}

/** How much larger than an image an evicted preview's buffer may be and still take it (the cap counts the rest). */
const REUSE_SLACK_BYTES = 256 * 1024;
