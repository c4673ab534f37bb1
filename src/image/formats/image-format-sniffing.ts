import type { ImageFormat } from '../../spec/image-constraints.js';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/**
 * The one magic-byte sniffer (image inspection picks its structure walk with it, the client its part's media type).
 * Which walk to run: PNG when it starts with "\x89PNG", JPEG when it starts with SOI. Not image-size's detector,
 * which wants the whole PNG signature and IHDR: a signature mangled by a text-mode transfer, or a PNG cut inside
 * IHDR, would be "not an image" there, where walkPng says what is wrong with it.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (PNG_SIGNATURE.slice(0, 4).every((byte, i) => bytes[i] === byte)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  return undefined;
}
