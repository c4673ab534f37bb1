import { imageConstraints } from '../spec/image-constraints.js';

/**
 * The one judgement of "too many bytes", asked by the file path (image inspection) and the base64 path alike, so a
 * client sees the same sentence whichever field it used, e.g. `image is 6.2 MB (6501234 bytes); at most 5242880
 * bytes allowed`. The limit is the spec's maxBytes: its decision reads the vendor's "5 MB" as 5 MiB, so MB means
 * MiB here and 5242880 bytes prints as 5.0 MB. Returns undefined when `byteCount` is within the limit.
 */
export function oversizeReason(
  subject: string,
  byteCount: number,
  maxBytes: number = imageConstraints().maxBytes,
): string | undefined {
  if (byteCount <= maxBytes) return undefined;
  return `${subject} ${(byteCount / 2 ** 20).toFixed(1)} MB (${byteCount} bytes); at most ${maxBytes} bytes allowed`;
}
