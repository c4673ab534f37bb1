import { makeJpeg } from '../src/image/sample-images.js';
import { imageConstraints } from '../src/spec/image-constraints.js';

/** The benchmark's upload: a 640x480 JPEG with sensor-like noise, about 100 KB, like a webcam photo. */
export function benchJpeg(): Buffer {
  return makeJpeg({ width: 640, height: 480, seed: 7, noise: true });
}

/** Largest payload of one JPEG APPn segment: its 2-byte length field counts itself. */
const MAX_SEGMENT_PAYLOAD = 0xffff - 2;

/**
 * A valid JPEG just under the spec's size limit, for the RSS-under-load case: the 640x480 photo with APP15
 * segments inserted after SOI (metadata, as cameras write EXIF/ICC), so it stays a well-formed JPEG whose
 * header a reader walks past without decoding. Encoding a real 5 MB photo with jpeg-js takes many seconds;
 * the server's memory depends on the bytes it holds, not on what they depict.
 */
export function nearLimitJpeg(marginBytes = 4096): Buffer {
  const photo = benchJpeg();
  const target = imageConstraints().maxBytes - marginBytes;
  const segments: Buffer[] = [];
  let size = photo.length;
  while (size < target) {
    const payload = Math.min(MAX_SEGMENT_PAYLOAD, target - size - 4);
    if (payload <= 0) break;
    const segment = Buffer.alloc(4 + payload, 0x20);
    segment.writeUInt16BE(0xffef, 0);
    segment.writeUInt16BE(payload + 2, 2);
    segments.push(segment);
    size += segment.length;
  }
  return Buffer.concat([photo.subarray(0, 2), ...segments, photo.subarray(2)]);
}
