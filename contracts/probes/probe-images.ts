import { pngChunk } from '../../src/image/sample-images.js';

/** Length, type and CRC around every chunk's data. */
const CHUNK_OVERHEAD = 12;

/**
 * The PNG `png`, grown to exactly `totalBytes` by a tEXt comment before IEND. The picture is unchanged and every
 * chunk keeps a valid CRC, so only the byte count differs from the original: the probe then tests the size rule
 * alone, and a target that refuses it refuses it for its size, not because it is corrupt.
 */
export function pngPaddedTo(png: Buffer, totalBytes: number): Buffer {
  const iend = pngChunk('IEND', Buffer.alloc(0));
  const body = png.subarray(0, png.length - iend.length);
  if (!png.subarray(png.length - iend.length).equals(iend)) throw new Error('pngPaddedTo needs a PNG ending in IEND');
  const keyword = Buffer.from('Comment\0', 'latin1');
  const fill = totalBytes - body.length - iend.length - CHUNK_OVERHEAD - keyword.length;
  if (fill < 0) throw new Error(`the PNG is already ${png.length} bytes, more than ${totalBytes}`);
  const text = pngChunk('tEXt', Buffer.concat([keyword, Buffer.alloc(fill, 'a')]));
  return Buffer.concat([body, text, iend]);
}

/**
 * The PNG `png` with one byte of its first IDAT chunk's data inverted and the chunk's CRC left as it was: the
 * signature, IHDR and size are whole, only the image data is damaged, as a transfer that flips a bit damages it.
 * Every PNG decoder that checks CRCs (libpng stops at a critical chunk's) finds it; one that does not meets a broken
 * deflate stream or wrong pixels.
 */
export function pngWithDamagedData(png: Buffer): Buffer {
  const idatAt = png.indexOf('IDAT', 8, 'latin1') - 4;
  if (idatAt < 0) throw new Error('pngWithDamagedData needs a PNG with an IDAT chunk');
  const length = png.readUInt32BE(idatAt);
  const damaged = Buffer.from(png);
  const at = idatAt + 8 + Math.floor(length / 2);
  damaged[at] = (damaged[at] ?? 0) ^ 0xff;
  return damaged;
}
