import { createHash } from 'node:crypto';
import type { PredictGenderResult } from '../types.js';

/** Hex sha256 of the image bytes: the identity the mock's scenarios match uploads on. */
export function imageSha256(image: Uint8Array): string {
  return createHash('sha256').update(image).digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The mock's stand-in for the vendor's model: a result derived from the image's sha256 (as `imageSha256()` gives
 * it), so the same upload always gets the same answer (tests and recorded pacts stay stable) and different uploads
 * get different answers. It takes the digest rather than the image because the mock has already hashed the image
 * for its journal and scenarios, and hashing every upload a second time here was about a tenth of its CPU under load.
 * `size` is the inspected width and height (each side at least 1); the face box always lies inside it.
 */
export function predictFromImage(sha256: string, size: { width: number; height: number }): PredictGenderResult {
  if (!SHA256_HEX.test(sha256)) throw new TypeError('predictFromImage takes the lowercase hex sha256 of the image');
  // Independent uniform numbers in [0, 1), one per disjoint 32-bit slice of the digest (8 hex digits each).
  const u = (slice: number) => Number.parseInt(sha256.slice(slice * 8, slice * 8 + 8), 16) / 2 ** 32;
  const gender = u(0) < 0.5 ? 'Male' : 'Female';
  // `confidence` is the confidence of the gender given, so it is never under the vendor's 0.5 threshold.
  const confidence = 0.5 + 0.5 * u(1);
  // Women rarely get a beard from the vendor's model; keep their beard confidence low, as in the spec's OK_FEMALE example.
  const beardConfidence = round6(gender === 'Male' ? u(2) : 0.05 * u(2));

  // A face fills 30%..80% of the shorter side in a typical selfie or ID photo, and is taller than wide: both
  // vendor-style examples have a height/width ratio near 1.3 ([81, 88, 244, 299] is 163x211).
  const width = Math.max(1, Math.floor(size.width));
  const height = Math.max(1, Math.floor(size.height));
  const shorter = Math.min(width, height);
  const boxWidth = clamp(Math.round(shorter * (0.3 + 0.5 * u(3))), 1, width);
  const boxHeight = clamp(Math.round(boxWidth * 1.3), 1, height);
  const left = Math.floor(u(4) * (width - boxWidth + 1));
  const top = Math.floor(u(5) * (height - boxHeight + 1));

  return {
    gender,
    confidence: round6(confidence),
    // [left, top, right, bottom], the spec's decision on the vendor's undocumented face_box.
    face_box: [left, top, left + boxWidth, top + boxHeight],
    beard: beardConfidence >= 0.5,
    beard_confidence: beardConfidence,
  };
}

/** The vendor's sample answer gives confidences to 6 decimals (0.996771). */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
