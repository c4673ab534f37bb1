import { crc32, deflateSync } from 'node:zlib';

/**
 * Images the sample-image encoders cannot make cheaply: a PNG whose header claims a size no test machine should
 * have to encode, and a real PNG grown to an exact byte count. Both stay valid PNGs (every chunk has its CRC), so a
 * target that judges them refuses them for the rule under test, not because they are corrupt.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Length, type and CRC around every chunk's data. */
const CHUNK_OVERHEAD = 12;

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A PNG that declares `width` x `height` (8-bit RGB) but carries a single compressed row: enough for any reader of
 * the header (the mock's, image-size, a browser's) to learn the size, a few hundred bytes on the wire.
 */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  // Compression, filter and interlace methods stay 0.
  const oneRow = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', oneRow),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The PNG `png`, grown to exactly `totalBytes` by a tEXt comment before IEND. The picture is unchanged, so only the
 * byte count differs from the original: the probe then tests the size rule alone.
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
