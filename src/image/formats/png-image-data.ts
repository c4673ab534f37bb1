import { createInflate } from 'node:zlib';
import type { PngPixelData } from './image-structure.js';

/** Output is read in pieces this large and dropped: the check needs the stream's validity, never the pixels. */
const PIECE_BYTES = 256 * 1024;

/**
 * What is wrong with a PNG's image data as a zlib stream, if anything (PNG spec section 10): it must inflate without
 * error, end (a stream cut short is damage even when every chunk's CRC is right), and give no more bytes than the
 * IHDR's size needs, where inflating stops, so a small upload cannot make the check inflate gigabytes. It may give
 * fewer: the header-only sample images (makeHeaderOnlyImage) carry an empty stream, and telling short data apart
 * would need every row unfiltered.
 * Inflating is the one costly check (measured about 8 ms a MiB of noisy image data, 0.4 ms for its CRCs), so it runs on zlib's thread
 * pool rather than on the event loop, and only where decision corrupt-image refuses damage.
 */
export function pngImageDataFault(data: PngPixelData): Promise<string | undefined> {
  const { chunks, inflatedBytes } = data;
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: PIECE_BYTES });
    let inflated = 0;
    let settled = false;
    const settle = (fault: string | undefined) => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      resolve(fault);
    };
    inflate.on('data', (piece: Buffer) => {
      inflated += piece.length;
      if (inflated > inflatedBytes) {
        settle(
          `PNG image is corrupt: the image data (IDAT) inflates to more than the ${inflatedBytes} bytes its IHDR size holds`,
        );
      }
    });
    inflate.on('error', (error: NodeJS.ErrnoException) => {
      // zlib says "unexpected end of file" for a stream cut short, and names the fault for bad data.
      const what = error.code === 'Z_BUF_ERROR' ? 'is cut short' : `is not a valid zlib stream (${error.message})`;
      settle(`PNG image is corrupt: the image data (IDAT) ${what}`);
    });
    inflate.on('end', () => settle(undefined));
    for (const chunk of chunks) inflate.write(chunk);
    inflate.end();
  });
}
