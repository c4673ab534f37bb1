/** A structure walk's refusal: what is wrong with the image, in a sentence for the caller. */
export type Refusal = { ok: false; reason: string };
export type Size = { width: number; height: number };
/**
 * What a structure walk vouches for: `header`, the bytes before the pixel data, which is all image-size is given;
 * and for JPEG the frame header's own reading of the size, to check image-size's against.
 */
export type Structure = { ok: true; header: Uint8Array; frameSize?: Size };

export function refuse(reason: string): Refusal {
  return { ok: false, reason };
}

export function hexByte(byte: number | undefined): string {
  return byte === undefined ? 'nothing' : `0x${byte.toString(16).padStart(2, '0')}`;
}

export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
