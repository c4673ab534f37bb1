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
