/** A structure walk's refusal: what is wrong with the image, in a sentence for the caller. */
export type Refusal = { ok: false; reason: string };
export type Size = { width: number; height: number };
/**
 * What a structure walk vouches for: `header`, the bytes before the pixel data, which is all image-size is given;
 * and for JPEG the frame header's own reading of the size, to check image-size's against. `corruption` says what is
 * damaged after that header: the size can still be read, and decision corrupt-image says what such an image gets.
 * `pixelData` is a PNG's compressed image data (its IDAT chunks' data, not copied) and the byte count it must
 * inflate to, for the check that inflates it.
 */
export type Structure = {
  ok: true;
  header: Uint8Array;
  frameSize?: Size;
  corruption?: string;
  pixelData?: PngPixelData;
};

export type PngPixelData = { chunks: readonly Uint8Array[]; inflatedBytes: number };

/** How far a walk looks: `verifyData` also checks what only the pixel data's integrity depends on. */
export type WalkOptions = { verifyData: boolean };

export function refuse(reason: string): Refusal {
  return { ok: false, reason };
}

export function hexByte(byte: number | undefined): string {
  return byte === undefined ? 'nothing' : `0x${byte.toString(16).padStart(2, '0')}`;
}

export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
