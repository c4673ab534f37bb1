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

/** The dashboard's default: the last 20 images and at most 20 MiB together, so previews never dominate the RSS. */
export const DEFAULT_PREVIEW_LIMITS: ImagePreviewLimits = { maxImages: 20, maxBytes: 20 * 1024 * 1024 };

/**
 * The latest accepted uploads of this process, for the dashboard to draw: a hard cap on count and bytes, oldest
 * dropped first. Each kept image is a copy of its bytes (never re-encoded): the adapter reads large uploads into
 * buffers it reuses once the answer is sent (which bounds memory under many large uploads), so a reference would later show another
 * upload's bytes. The copy also makes the byte cap exact. An image that alone is over the byte cap is not kept
 * (the dashboard shows its metadata only). Per process, never shared: a shared state's other mocks keep their own.
 */
export class ImagePreviews {
  private readonly kept = new Map<string, ImagePreview>();
  private heldBytes = 0;

  constructor(readonly limits: ImagePreviewLimits = DEFAULT_PREVIEW_LIMITS) {}

  keep(preview: ImagePreview): void {
    if (preview.bytes.byteLength > this.limits.maxBytes || this.limits.maxImages === 0) return;
    // `new Uint8Array(view)` copies; a Buffer's own `slice` would not.
    this.kept.set(preview.requestId, { ...preview, bytes: new Uint8Array(preview.bytes) });
    this.heldBytes += preview.bytes.byteLength;
    // Map iterates in insertion order: the first key is the oldest.
    for (const [requestId, oldest] of this.kept) {
      if (this.kept.size <= this.limits.maxImages && this.heldBytes <= this.limits.maxBytes) break;
      this.kept.delete(requestId);
      this.heldBytes -= oldest.bytes.byteLength;
    }
  }

  get(requestId: string): ImagePreview | undefined {
    return this.kept.get(requestId);
  }

  /** What is held, oldest first, without the bytes. */
  list(): { requestIds: string[]; bytes: number } {
    return { requestIds: [...this.kept.keys()], bytes: this.heldBytes };
  }

  clear(): void {
    this.kept.clear();
    this.heldBytes = 0;
  }
}
