import { deflateSync } from 'node:zlib';
import { PNG_SIGNATURE } from './formats/image-format-sniffing.js';
import { pngChunk } from './sample-images.js';

/**
 * Real, decodable images of one solid colour at any size, made in milliseconds and kilobytes: a 6000x6000 image
 * encoded pixel by pixel (makePng, makeJpeg) costs 144 MB of RGBA and seconds, where the image corpus needs the
 * vendor's largest sides as files a decoder accepts. Unlike makeHeaderOnlyImage, every byte of pixel data is there.
 */

/** PNG colour types (PNG spec section 11.2.2) the corpus uses. */
export type PngColour = 'grey' | 'rgb' | 'palette' | 'rgba';

export interface SolidPngOptions {
  width: number;
  height: number;
  colour: PngColour;
  /** 1, 8 or 16; what the colour type allows (grey: any; rgb, rgba: 8 or 16; palette: 1..8). */
  bitDepth: 1 | 8 | 16;
  /** Ancillary chunks to write before IEND (pngChunk), e.g. a tEXt that pads the file to an exact size. */
  extraChunks?: readonly Buffer[];
}

const PNG_COLOUR_TYPES: Record<PngColour, { type: number; channels: number }> = {
  grey: { type: 0, channels: 1 },
  rgb: { type: 2, channels: 3 },
  palette: { type: 3, channels: 1 },
  rgba: { type: 6, channels: 4 },
};

/**
 * A PNG whose image data is the deflate of all-zero rows (filter type 0, every sample 0: black, transparent for
 * rgba, the palette's one entry for palette). 1-bit grey keeps a 6001x6001 image at 4.5 MB of rows to deflate.
 */
export function solidPng(options: SolidPngOptions): Buffer {
  const { width, height, colour, bitDepth } = options;
  const { type, channels } = PNG_COLOUR_TYPES[colour];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, type, 0, 0, 0], 8); // deflate, adaptive filtering, no interlace
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const rows = deflateSync(Buffer.alloc(height * (1 + rowBytes)), { level: 9 });
  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    pngChunk('IHDR', ihdr),
    ...(colour === 'palette' ? [pngChunk('PLTE', Buffer.from([0x80, 0x80, 0x80]))] : []),
    pngChunk('IDAT', rows),
    ...(options.extraChunks ?? []),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG tEXt chunk (keyword, NUL, Latin-1 text): ancillary, so decoders skip it, and its size is free. */
export function pngTextChunk(keyword: string, text: string): Buffer {
  return pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));
}

export interface SolidJpegOptions {
  width: number;
  height: number;
  /** 1: greyscale, 3: YCbCr (JFIF), 4: CMYK (with Adobe's APP14, as Photoshop writes it). */
  components: 1 | 3 | 4;
  /** A progressive frame (SOF2: a DC scan, then one AC scan per component) instead of a baseline one (SOF0). */
  progressive?: boolean;
  /** Segments (marker, length and data) to write after the APP0 or APP14, e.g. an EXIF APP1. */
  extraSegments?: readonly Buffer[];
}

/**
 * A JPEG whose every DCT coefficient is 0 (mid grey; for CMYK what Adobe's inversion makes of it). One Huffman table
 * per class, each with one 1-bit code ('0') for symbol 0: a DC difference of 0, and for AC the end of block (EOB,
 * and in a progressive AC scan an EOB run of one block). So each block costs one bit per scan it appears in, all
 * zeros, and no 0xFF byte needs stuffing: a 6000x6000 greyscale baseline image is 141 KB of scan data.
 */
export function solidJpeg(options: SolidJpegOptions): Buffer {
  const { width, height, components } = options;
  const ids = Array.from({ length: components }, (_, index) => index + 1);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const frame = Buffer.from([
    8,
    ...u16(height),
    ...u16(width),
    components,
    ...ids.flatMap((id) => [id, 0x11, 0]), // 1x1 sampling, quantization table 0
  ]);
  const oneCodeTable = (tableClass: number) => [tableClass << 4, 1, ...new Array<number>(15).fill(0), 0];
  const headers = [
    segment(0xe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, ...u16(1), ...u16(1), 0, 0])),
    // Adobe APP14 with transform 0: the components are CMYK as stored, not YCCK.
    ...(components === 4
      ? [segment(0xee, Buffer.from([...Buffer.from('Adobe', 'latin1'), 0, 100, 0, 0, 0, 0, 0]))]
      : []),
    ...(options.extraSegments ?? []),
    segment(0xdb, Buffer.from([0, ...new Array<number>(64).fill(1)])),
    segment(options.progressive ? 0xc2 : 0xc0, frame),
    segment(0xc4, Buffer.from([...oneCodeTable(0), ...oneCodeTable(1)])),
  ];
  const scanHeader = (scanIds: readonly number[], start: number, end: number) =>
    segment(0xda, Buffer.from([scanIds.length, ...scanIds.flatMap((id) => [id, 0x00]), start, end, 0]));
  const scans = options.progressive
    ? [
        scanHeader(ids, 0, 0),
        scanData(blocks * components),
        ...ids.flatMap((id) => [scanHeader([id], 1, 63), scanData(blocks)]),
      ]
    : [scanHeader(ids, 0, 63), scanData(blocks * components * 2)];
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...headers, ...scans, Buffer.from([0xff, 0xd9])]);
}

/** An APP1 EXIF segment holding one tag, Orientation (0x0112), as cameras write it for a photo taken sideways. */
export function exifOrientationSegment(orientation: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8): Buffer {
  const tiff = Buffer.from([
    ...Buffer.from('MM\0*', 'latin1'),
    ...[0, 0, 0, 8], // the first IFD follows the 8-byte TIFF header
    ...u16(1), // one entry
    ...[0x01, 0x12, 0, 3, 0, 0, 0, 1, ...u16(orientation), 0, 0], // Orientation, SHORT, count 1, value
    ...[0, 0, 0, 0], // no next IFD
  ]);
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}

/** `bits` zero bits of entropy-coded data, the last byte padded with 1 bits (T.81 F.1.2.3). */
function scanData(bits: number): Buffer {
  const data = Buffer.alloc(Math.ceil(bits / 8));
  const spare = data.length * 8 - bits;
  if (spare > 0) data[data.length - 1] = (1 << spare) - 1;
  return data;
}

function segment(marker: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, marker, ...u16(data.length + 2)]), data]);
}

function u16(n: number): [number, number] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

/** A JPEG COM segment holding `text` (Latin-1). */
export function jpegCommentSegment(text: string): Buffer {
  return segment(0xfe, Buffer.from(text, 'latin1'));
}

/**
 * `jpeg` with `segments` inserted after its first segment (the APP0 every encoder writes first): image-size skips
 * the segment right after SOI, so that is where the JFIF header stays.
 */
export function withJpegSegments(jpeg: Buffer, segments: readonly Buffer[]): Buffer {
  const afterFirst = 4 + ((jpeg[4] ?? 0) << 8) + (jpeg[5] ?? 0);
  return Buffer.concat([jpeg.subarray(0, afterFirst), ...segments, jpeg.subarray(afterFirst)]);
}
