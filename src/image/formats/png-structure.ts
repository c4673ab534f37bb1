import { crc32 } from 'node:zlib';
import { PNG_SIGNATURE } from './image-format-sniffing.js';
import { hex32, hexByte, type Refusal, refuse, type Structure } from './image-structure.js';

// PNG (W3C PNG spec, 3rd edition: section 5 datastream structure, 11.2.1 IHDR)

const IHDR_END = 8 + 8 + 13 + 4;
const MAX_CHUNK_LENGTH = 2 ** 31 - 1;
/** Bit depths the PNG spec allows for each colour type (table 11.1). */
const PNG_BIT_DEPTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);

/** Walks a PNG's chunks: signature, IHDR (with its CRC), then to IEND, without inflating any pixel data. */
export function walkPng(bytes: Uint8Array): Structure | Refusal {
  const n = bytes.length;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) {
    if (i >= n) return refuse(`PNG image is truncated: ${n} bytes, shorter than the 8-byte PNG signature`);
    if (bytes[i] !== PNG_SIGNATURE[i]) {
      // Bytes 4..7 (\r\n \x1a \n) exist to catch line-ending conversion by a text-mode transfer.
      return refuse(
        `PNG signature is corrupt at byte ${i}: found ${hexByte(bytes[i])}, expected ${hexByte(PNG_SIGNATURE[i])}` +
          ' (was the file sent as text?)',
      );
    }
  }
  if (n < IHDR_END) {
    return refuse(`PNG image is truncated: ${n} bytes, too short for the IHDR chunk (${IHDR_END} bytes at least)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstType = chunkType(bytes, 12);
  if (firstType !== 'IHDR') {
    return refuse(`PNG image is corrupt: first chunk is ${JSON.stringify(firstType)}, expected IHDR`);
  }
  const ihdrLength = view.getUint32(8);
  if (ihdrLength !== 13) {
    return refuse(`PNG image is corrupt: IHDR chunk declares ${ihdrLength} bytes, expected 13`);
  }
  // Only IHDR's CRC is checked: it guards the dimensions image-size reads, and it costs 17 bytes. Checking every
  // chunk's CRC would be a pass over up to 5 MiB per upload, which the header-only walk exists to avoid.
  const storedCrc = view.getUint32(29);
  const actualCrc = crc32(bytes.subarray(12, 29));
  if (storedCrc !== actualCrc) {
    return refuse(`PNG image is corrupt: IHDR CRC is ${hex32(storedCrc)}, expected ${hex32(actualCrc)}`);
  }
  const [bitDepth = 0, colourType = 0, compression = 0, filter = 0, interlace = 0] = bytes.subarray(24, 29);
  const depths = PNG_BIT_DEPTHS.get(colourType);
  if (depths === undefined) {
    return refuse(`PNG image is corrupt: IHDR colour type ${colourType}, expected one of 0, 2, 3, 4, 6`);
  }
  if (!depths.includes(bitDepth)) {
    return refuse(
      `PNG image is corrupt: IHDR bit depth ${bitDepth} with colour type ${colourType}, expected one of ${depths.join(', ')}`,
    );
  }
  if (compression !== 0 || filter !== 0 || interlace > 1) {
    return refuse(
      `PNG image is corrupt: IHDR compression ${compression}, filter ${filter}, interlace ${interlace};` +
        ' expected 0, 0 and 0 or 1',
    );
  }

  let sawPixelData = false;
  for (let at = IHDR_END; ; ) {
    if (at === n) return refuse(`PNG image is truncated: no IEND chunk (ends after ${n} bytes)`);
    if (at + 12 > n) {
      return refuse(`PNG image is truncated: no IEND chunk (${n - at} bytes after the last whole chunk)`);
    }
    const length = view.getUint32(at);
    const type = chunkType(bytes, at + 4);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      return refuse(`PNG image is corrupt: chunk at byte ${at} has type ${JSON.stringify(type)}, expected 4 letters`);
    }
    if (length > MAX_CHUNK_LENGTH) {
      return refuse(
        `PNG image is corrupt: chunk ${type} at byte ${at} declares ${length} bytes, at most 2^31-1 allowed`,
      );
    }
    if (at + 12 + length > n) {
      return refuse(
        `PNG image is truncated: chunk ${type} at byte ${at} declares ${length} bytes, only ${n - at - 12} follow`,
      );
    }
    if (type === 'IHDR') return refuse(`PNG image is corrupt: a second IHDR chunk at byte ${at}`);
    if (type === 'IDAT') sawPixelData = true;
    if (type === 'IEND') {
      // Bytes after IEND are ignored, as decoders ignore them.
      if (!sawPixelData) return refuse('PNG image is corrupt: IEND before any IDAT chunk');
      return { ok: true, header: bytes.subarray(0, IHDR_END) };
    }
    at += 12 + length;
  }
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}
