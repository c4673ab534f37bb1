import { imageSize, types } from 'image-size';
import { type imageType, typeHandlers } from 'image-size/types/index';
import { type ImageConstraints, type ImageFormat, imageConstraints } from '../spec/image-constraints.js';
import { sniffImageFormat } from './formats/image-format-sniffing.js';
import { type PngPixelData, type Refusal, refuse, type Size, type Structure } from './formats/image-structure.js';
import { walkJpeg } from './formats/jpeg-structure.js';
import { pngImageDataFault } from './formats/png-image-data.js';
import { walkPng } from './formats/png-structure.js';
import { oversizeReason } from './image-byte-limit.js';

export type ImageVerdict =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | {
      ok: false;
      reason: string;
      problem: ImageProblem;
      /**
       * Present when the refusal is for damaged data in an image whose format and size were read (and are within
       * the limits): what decision corrupt-image judges. Absent for every other refusal.
       */
      corrupt?: { format: ImageFormat; width: number; height: number };
    };

/**
 * What was wrong, as data beside the sentence: the mock's diagnosis of a refused upload reads it rather than the
 * reason's wording. `found` names what the content is instead (image-size's type, `text`, `pdf` or `unknown`).
 */
export type ImageProblem =
  | { kind: 'empty' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'format'; found: string }
  | { kind: 'sides'; width: number; height: number }
  | { kind: 'structure' }
  | { kind: 'corrupt' };

/** How far the inspection looks. */
export interface InspectionOptions {
  /**
   * Whether to check the data after the header (every PNG chunk's CRC and zlib header, every JPEG scan's markers
   * and its quantization tables); true unless told otherwise. Without it, only damage the structure walk meets on
   * its way (a chunk or segment past the end, no IEND or EOI) is found.
   */
  verifyData?: boolean;
}

type Measured = { ok: true } & Size;

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG' };
const IMAGE_SIZE_TYPES: Record<ImageFormat, imageType> = { jpeg: 'jpg', png: 'png' };

/**
 * The one entry to image inspection; each format's structure walk lives in `formats/` (`png-structure.ts`,
 * `jpeg-structure.ts`). Judges an uploaded image by its content alone (the spec's decision: never by file name or declared type):
 * size, format by magic bytes, structure, then each side (read by image-size) against the spec's limits. It
 * walks the structure and never decodes a pixel, because the mock must keep up with thousands of uploads a second:
 * damage it finds after the header (decision corrupt-image) is a refusal carrying `corrupt`, the image's format and
 * size. It does not inflate a PNG's image data (inspectImageThoroughly does), and a JPEG's scan data is checked
 * for stray markers only, not Huffman-decoded. image-size reads sizes but checks no integrity (it answers for a
 * truncated file), hence the walks.
 * Never throws: every read is bounds-checked, image-size's throws are caught, and the test fuzzes it.
 */
export function inspectImage(
  bytes: Uint8Array,
  constraints: ImageConstraints = imageConstraints(),
  options: InspectionOptions = {},
): ImageVerdict {
  return inspect(bytes, constraints, options).verdict;
}

/**
 * inspectImage with every check, and then, for a PNG it passed, the image data inflated (png-image-data.ts): the one
 * costly check, which runs on zlib's thread pool. The mock's image stage calls it where decision corrupt-image
 * refuses damaged images.
 */
export async function inspectImageThoroughly(
  bytes: Uint8Array,
  constraints: ImageConstraints = imageConstraints(),
): Promise<ImageVerdict> {
  const { verdict, pixelData } = inspect(bytes, constraints, { verifyData: true });
  if (!verdict.ok || pixelData === undefined) return verdict;
  const fault = await pngImageDataFault(pixelData);
  return fault === undefined ? verdict : { ok: false, reason: fault, problem: { kind: 'corrupt' }, corrupt: verdict };
}

function inspect(
  bytes: Uint8Array,
  constraints: ImageConstraints,
  options: InspectionOptions,
): { verdict: ImageVerdict; pixelData?: PngPixelData } {
  const allowed = constraints.formats.map((format) => FORMAT_NAMES[format]).join(' or ');
  if (bytes.length === 0) {
    return refused(`image is empty (0 bytes); expected a ${allowed} image`, { kind: 'empty' });
  }
  const oversize = oversizeReason('image is', bytes.length, constraints.maxBytes);
  if (oversize !== undefined) return refused(oversize, { kind: 'too-large', bytes: bytes.length });
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    const content = describeContent(bytes);
    return refused(`image is not ${allowed} (${content.text})`, { kind: 'format', found: content.found });
  }
  if (!constraints.formats.includes(format)) {
    return refused(`image is not ${allowed} (it is a ${FORMAT_NAMES[format]} image)`, {
      kind: 'format',
      found: format,
    });
  }
  const walk = { verifyData: options.verifyData ?? true };
  const structure = format === 'png' ? walkPng(bytes, walk) : walkJpeg(bytes, walk);
  if (!structure.ok) {
    return refused(structure.reason, { kind: 'structure' });
  }
  const size = measure(format, structure);
  if (!size.ok) {
    return refused(size.reason, { kind: 'structure' });
  }
  const { width, height } = size;
  const { minSide, maxSide } = constraints;
  // The documented limits are judged before any damage: an image both too large and damaged is refused for its size.
  if (width < minSide || width > maxSide || height < minSide || height > maxSide) {
    return refused(`image is ${width}x${height} px; each side must be ${minSide}..${maxSide} px`, {
      kind: 'sides',
      width,
      height,
    });
  }
  const image = { format, width, height };
  if (structure.corruption !== undefined) {
    return { verdict: { ok: false, reason: structure.corruption, problem: { kind: 'corrupt' }, corrupt: image } };
  }
  const verdict: ImageVerdict = { ok: true, ...image };
  return structure.pixelData ? { verdict, pixelData: structure.pixelData } : { verdict };
}

/**
 * The image size of the header a walk vouched for, or why there is none. image-size answers with the type it
 * detected, which must be the format walked; it cannot differ today (its detector takes SOI as JPEG and a whole
 * signature plus IHDR as PNG), but a detector that changes with the dependency must not slip a wrong type through.
 * It is given only the header because its JPEG reader, once past the frame headers it knows, steps through the
 * rest a byte at a time (measured 130 ms for a 2 MB JPEG whose frame is SOF9) and may read a size from scan data.
 * - PNG: image-size reads the width and height at bytes 16..23, inside the IHDR that walkPng found first and
 *   whose CRC it checked: the same bytes the walk would read, so the two cannot disagree.
 * - JPEG: image-size hops from segment to segment like walkJpeg, but it skips the segment right after SOI, knows
 *   only SOF0..2, and fill bytes or a standalone marker (TEM, RSTn) before the frame header put it out of step,
 *   where it may read the size of an EXIF thumbnail. These are legal JPEGs that we refuse (so does the frame size
 *   walkJpeg reads and image-size's disagreeing): an answer on a size two readers do not agree on is worse than
 *   a refusal that says why, and they are rare (common encoders write APP0 or DQT first, baseline or progressive
 *   frames, and no fill bytes; SOF3 and SOF9 come from medical imaging or an explicit arithmetic-coding option).
 */
function measure(format: ImageFormat, structure: Structure): Measured | Refusal {
  const name = FORMAT_NAMES[format];
  let measured: { width: number; height: number; type?: string };
  try {
    measured = imageSize(structure.header);
  } catch (error) {
    return refuse(
      `${name} image size could not be read (image-size: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const { width, height, type } = measured;
  const frame = structure.frameSize;
  if (type !== IMAGE_SIZE_TYPES[format] || (frame && (frame.width !== width || frame.height !== height))) {
    const framed = frame ? `its frame header says ${frame.width}x${frame.height} px, ` : '';
    return refuse(
      `${name} image size is ambiguous: ${framed}image-size reads a ${type} image of ${width}x${height} px`,
    );
  }
  return { ok: true, width, height };
}

function refused(reason: string, problem: ImageProblem): { verdict: ImageVerdict } {
  return { verdict: { ok: false, reason, problem } };
}

/**
 * What a refused upload looks like instead: for the reason, the type image-size detects, else text or bytes; and
 * as `found`, the type's short name for the diagnosis.
 */
function describeContent(bytes: Uint8Array): { text: string; found: string } {
  const type = detectedType(bytes);
  if (type !== undefined) {
    return { text: `it looks like ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} image`, found: type };
  }
  const text = String.fromCharCode(...bytes.subarray(0, 24));
  // An ID scanned to PDF; not image-size's.
  if (text.startsWith('%PDF')) return { text: 'it looks like a PDF document', found: 'pdf' };
  if (/^[\t\n\r\x20-\x7e]+$/.test(text)) {
    return {
      text: `it looks like text: starts with ${JSON.stringify(bytes.length > 24 ? `${text}...` : text)}`,
      found: 'text',
    };
  }
  const hex = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return { text: `starts with bytes ${hex}`, found: 'unknown' };
}

/**
 * image-size's type detection alone (its own detector is not exported, and imageSize throws before naming the
 * type when the content is recognised but its size is unreadable, as in a TIFF or HEIF cut short). A validator
 * that throws (several read past the end of a short input) did not recognise the content.
 */
function detectedType(bytes: Uint8Array): imageType | undefined {
  return types.find((type) => {
    try {
      return typeHandlers.get(type)?.validate(bytes) === true;
    } catch {
      return false;
    }
  });
}
