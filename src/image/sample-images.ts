import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageFormat } from '../spec/image-constraints.js';

export interface SampleImageOptions {
  width: number;
  height: number;
  /** Same seed, same bytes; different seeds give different images (the mock's scenarios match on sha256). */
  seed?: number;
  /** Fill the pixels with seeded noise so the file is as large as a photo of that size (benchmarks). */
  noise?: boolean;
}

export interface SampleJpegOptions extends SampleImageOptions {
  /** jpeg-js quality, 1..100. */
  quality?: number;
}

/**
 * 85 is a typical phone or webcam quality, and with `noise: true` it makes a 640x480 JPEG of about 100 KB, the
 * upload the benchmark wants. Measured for 640x480 with noise, seed 1: q75 66.6 KB, q80 79.6 KB, q85 97.9 KB,
 * q90 131.5 KB (full-range noise instead of NOISE_MASK gave 386..574 KB: nothing like a photo).
 */
const DEFAULT_JPEG_QUALITY = 85;
const DEFAULT_SEED = 1;
/** Noise of 0..15 per channel, about a camera sensor's grain: enough entropy that JPEG cannot flatten it. */
const NOISE_MASK = 0x0f;

/** A real JPEG (baseline, jpeg-js encoder) of the given size. */
export function makeJpeg(options: SampleJpegOptions): Buffer {
  const { width, height } = options;
  const data = fillPixels(options);
  return jpeg.encode({ data, width, height }, options.quality ?? DEFAULT_JPEG_QUALITY).data;
}

/** A real PNG (RGBA, pngjs encoder) of the given size. */
export function makePng(options: SampleImageOptions): Buffer {
  const png = new PNG({ width: options.width, height: options.height });
  png.data = fillPixels(options);
  return PNG.sync.write(png);
}

/**
 * A structurally valid image whose header claims `width` x `height` but whose pixel data is a token: the
 * boundary cases (6000x6000, 6001, 0x0, 70000x70000) without encoding 36M pixels. It passes inspectImage,
 * which walks headers and never decodes pixels; a real decoder would find the pixel data short.
 * - PNG: signature, IHDR (8-bit RGB) with its CRC, one IDAT holding an empty zlib stream, IEND.
 * - JPEG: SOI, APP0 (JFIF), a DQT (one all-ones table: a DCT frame without one is corrupt), SOF0 (8-bit,
 *   3 components), an SOS header, two bytes of scan data, EOI; no DHT (decoders supply the standard Huffman tables,
 *   as for Motion-JPEG). The APP0 is there as every encoder writes a segment before the frame header: image-size,
 *   which inspectImage reads the size with, cannot read a frame header right after SOI.
 * Throws RangeError for a side the format's header cannot hold (JPEG: 65535): that is a bug in the caller.
 */
export function makeHeaderOnlyImage(options: { format: ImageFormat; width: number; height: number }): Buffer {
  const largest = options.format === 'png' ? 2 ** 32 - 1 : 2 ** 16 - 1;
  for (const side of [options.width, options.height]) {
    if (!Number.isInteger(side) || side < 0 || side > largest) {
      throw new RangeError(`a ${options.format} header holds sides of 0..${largest} px, not ${side}`);
    }
  }
  return options.format === 'png'
    ? headerOnlyPng(options.width, options.height)
    : headerOnlyJpeg(options.width, options.height);
}

function headerOnlyPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, adaptive filter, no interlace
  const emptyZlibStream = Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', emptyZlibStream),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One PNG chunk: length, type, data, CRC-32 of type and data (PNG spec section 5.3). */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const chunk = Buffer.alloc(8 + data.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  chunk.set(typeAndData, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return chunk;
}

function headerOnlyJpeg(width: number, height: number): Buffer {
  const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
  const components = [1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Buffer.from([
    ...[0xff, 0xd8],
    ...[0xff, 0xe0, ...u16(16), ...Buffer.from('JFIF\0'), 1, 1, 0, ...u16(1), ...u16(1), 0, 0],
    ...[0xff, 0xdb, ...u16(2 + 1 + 64), 0, ...new Array<number>(64).fill(1)],
    ...[0xff, 0xc0, ...u16(8 + components.length), 8, ...u16(height), ...u16(width), 3, ...components],
    ...[0xff, 0xda, ...u16(12), 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0],
    ...[0x00, 0x3f],
    ...[0xff, 0xd9],
  ]);
}

/**
 * RGBA pixels: a seeded colour gradient, plus seeded noise when asked. The generator is mulberry32, a 32-bit
 * PRNG small enough to inline: it is deterministic on every platform (Math.random cannot be seeded) and one call
 * per pixel keeps a 640x480 fill in a few milliseconds, where pure-rand's immutable API would allocate per call.
 */
function fillPixels(options: SampleImageOptions): Buffer {
  const { width, height, noise = false } = options;
  const next = mulberry32(options.seed ?? DEFAULT_SEED);
  const base = [next() & 0xff, next() & 0xff, next() & 0xff] as const;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const gx = Math.floor((x * 255) / width);
      const gy = Math.floor((y * 255) / height);
      const n = noise ? next() : 0;
      data[i] = (base[0] + gx + (n & NOISE_MASK)) & 0xff;
      data[i + 1] = (base[1] + gy + ((n >>> 8) & NOISE_MASK)) & 0xff;
      data[i + 2] = (base[2] + ((gx + gy) >> 1) + ((n >>> 16) & NOISE_MASK)) & 0xff;
      data[i + 3] = 0xff;
    }
  }
  return data;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
