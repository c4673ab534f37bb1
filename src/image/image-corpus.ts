import { DECISION_ALTERNATIVES, type DecisionName, type DecisionProfile } from '../generated/decisions.js';
import { decidedImageConstraints } from '../spec/decided-image-constraints.js';
import { decisionCatalogue } from '../spec/decision-catalogue.js';
import { type ImageFormat, imageConstraints, imageMediaTypes } from '../spec/image-constraints.js';
import type { StatusValue } from '../types.js';
import { makeJpeg, pngChunk } from './sample-images.js';
import {
  exifOrientationSegment,
  jpegCommentSegment,
  pngTextChunk,
  solidJpeg,
  solidPng,
  withJpegSegments,
} from './solid-images.js';

/**
 * The image corpus (`accuauth-kit images`): images at the vendor's documented limits and the usual pitfalls, each
 * sent as `file` and in several base64 forms as `image_base64`, with what the mock answers each under a decision
 * profile and why. Every limit is read from the spec (x-image-constraints, and the values of decision
 * max-image-bytes), so the corpus moves with the spec. Deterministic: the same spec gives the same bytes.
 */

export type CorpusField = 'file' | 'image_base64';

/** How an image is written as image_base64: the plain form, and the four mistakes clients make. */
export type Base64Form = 'standard' | 'line-breaks' | 'no-padding' | 'url-safe' | 'data-url';

const EVERY_BASE64_FORM: readonly Base64Form[] = ['standard', 'line-breaks', 'no-padding', 'url-safe', 'data-url'];

/** What an image is, as the mock's checks see it. */
export interface CorpusImageFacts {
  format: ImageFormat | 'gif' | 'webp';
  width: number;
  height: number;
  bytes: number;
  /** Cut short after its header: its size is readable, its pixel data is not whole (decision corrupt-image). */
  truncated: boolean;
}

/** One file of the corpus, as manifest.json lists it. */
export interface CorpusEntry {
  /** Path relative to the manifest. */
  file: string;
  /** How it is sent: as the multipart `file` part, or as the text of the `image_base64` field. */
  field: CorpusField;
  /** For `file`: the part's Content-Type, what a client declares for the file's name. */
  contentType?: string;
  /** For `image_base64`: how the text is written. */
  base64?: Base64Form;
  /** What it is meant to show, in a few words. */
  description: string;
  image: CorpusImageFacts;
  /** What the mock answers it under the decisions the manifest was made for. */
  status: StatusValue;
  reason: string;
  /** The decision (a name of the spec's x-decisions) or the documented fact that decides the status. */
  decidedBy: string;
  /** Every decision one of whose other alternatives would change the status: what the file tells apart. */
  turnsOn: DecisionName[];
}

export interface CorpusManifest {
  generatedBy: 'accuauth-kit images';
  decisions: DecisionProfile;
  limits: { minSide: number; maxSide: number; maxBytes: number };
  entries: CorpusEntry[];
}

/** A corpus file: its path, bytes and manifest entry. */
export interface CorpusFile {
  entry: CorpusEntry;
  content: Buffer | string;
}

interface CorpusImage {
  /** Path without the field's folder, e.g. `png/side-127.png`. */
  path: string;
  description: string;
  bytes: Buffer;
  facts: Omit<CorpusImageFacts, 'bytes'>;
  /** The base64 forms it is also written in (the byte-limit images only in the standard one: they are 7 MB each). */
  forms: readonly Base64Form[];
}

/**
 * Marks every generated image with a comment whose base64 has a '/' (six '?' hold an aligned "???", which is "Pz8/"
 * in base64), so the URL-safe form of each image really differs from the standard one; solid images alone encode to
 * little but "A".
 */
const MARKER = 'accuauth-kit image corpus ??????';

/**
 * The image `build` makes with the marker comment, one character longer when that gives a whole number of base64
 * groups: a length that is not a multiple of 3 ends its base64 with '=' padding, so the no-padding form really
 * differs from the standard one too.
 */
function marked(build: (marker: string) => Buffer): Buffer {
  const image = build(MARKER);
  return image.length % 3 === 0 ? build(`${MARKER} `) : image;
}

/** A 1x1 GIF and a 1x1 lossless WebP, the smallest files of each format (the formats are refused before any size). */
const GIF_1X1 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const WEBP_1X1 = 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==';

/** The corpus's images, built from the packaged spec's limits. */
export function corpusImages(): CorpusImage[] {
  const { minSide, maxSide } = imageConstraints();
  const ordinary = 2 * minSide;
  if (3 * minSide > maxSide) throw new Error("the spec's sides leave no room for an ordinary portrait image");
  const images: CorpusImage[] = [];
  const add = (
    path: string,
    description: string,
    bytes: Buffer,
    facts: CorpusImage['facts'],
    forms = EVERY_BASE64_FORM,
  ) => images.push({ path, description, bytes, facts, forms });
  const png = (width: number, height: number, colour: Parameters<typeof solidPng>[0]['colour'], bitDepth: 1 | 8 | 16) =>
    marked((marker) => solidPng({ width, height, colour, bitDepth, extraChunks: [pngTextChunk('Comment', marker)] }));

  for (const side of [minSide - 1, minSide, maxSide, maxSide + 1]) {
    const facts = { width: side, height: side, truncated: false };
    add(`png/side-${side}.png`, `a ${side}x${side} px PNG (1-bit grey)`, png(side, side, 'grey', 1), {
      format: 'png',
      ...facts,
    });
    add(
      `jpeg/side-${side}.jpg`,
      `a ${side}x${side} px JPEG (greyscale)`,
      marked((marker) =>
        solidJpeg({ width: side, height: side, components: 1, extraSegments: [jpegCommentSegment(marker)] }),
      ),
      { format: 'jpeg', ...facts },
    );
  }
  const square = { width: ordinary, height: ordinary, truncated: false };
  add('png/alpha.png', 'a PNG with an alpha channel (RGBA, 8-bit)', png(ordinary, ordinary, 'rgba', 8), {
    format: 'png',
    ...square,
  });
  add('png/16-bit.png', 'a 16-bit PNG (RGB, 16 bits a sample)', png(ordinary, ordinary, 'rgb', 16), {
    format: 'png',
    ...square,
  });
  add('png/palette.png', 'a palette PNG (indexed colour, PLTE)', png(ordinary, ordinary, 'palette', 8), {
    format: 'png',
    ...square,
  });
  const photo = makeJpeg({ width: ordinary, height: ordinary, noise: true });
  const baseline = marked((marker) => withJpegSegments(photo, [jpegCommentSegment(marker)]));
  add('jpeg/baseline.jpg', 'a baseline JPEG (YCbCr, as cameras write)', baseline, { format: 'jpeg', ...square });
  add(
    'jpeg/progressive.jpg',
    'a progressive JPEG (SOF2)',
    marked((marker) =>
      solidJpeg({
        width: ordinary,
        height: ordinary,
        components: 3,
        progressive: true,
        extraSegments: [jpegCommentSegment(marker)],
      }),
    ),
    { format: 'jpeg', ...square },
  );
  add(
    'jpeg/cmyk.jpg',
    'a CMYK JPEG (four components, Adobe APP14)',
    marked((marker) =>
      solidJpeg({ width: ordinary, height: ordinary, components: 4, extraSegments: [jpegCommentSegment(marker)] }),
    ),
    { format: 'jpeg', ...square },
  );
  const portrait = { width: ordinary, height: (3 * ordinary) / 2 };
  add(
    'jpeg/exif-rotated.jpg',
    `a ${portrait.width}x${portrait.height} px JPEG whose EXIF Orientation (6) says: show it turned 90 degrees clockwise`,
    marked((marker) =>
      solidJpeg({ ...portrait, components: 3, extraSegments: [jpegCommentSegment(marker), exifOrientationSegment(6)] }),
    ),
    { format: 'jpeg', ...portrait, truncated: false },
  );
  add('jpeg/truncated.jpg', 'the baseline JPEG cut in the middle of its scan data', cutInScan(baseline), {
    format: 'jpeg',
    ...square,
    truncated: true,
  });
  add('named-jpg/gif.jpg', 'a GIF named .jpg', Buffer.from(GIF_1X1, 'base64'), {
    format: 'gif',
    width: 1,
    height: 1,
    truncated: false,
  });
  add('named-jpg/webp.jpg', 'a WebP named .jpg', Buffer.from(WEBP_1X1, 'base64'), {
    format: 'webp',
    width: 1,
    height: 1,
    truncated: false,
  });
  add('named-jpg/png.jpg', 'a PNG named .jpg (so declared image/jpeg)', png(ordinary, ordinary, 'rgb', 8), {
    format: 'png',
    ...square,
  });

  // Each alternative of max-image-bytes is a limit the vendor may hold: one byte under and over each.
  const limits = [...new Set(decisionCatalogue().get('max-image-bytes')?.values?.values() ?? [])].sort((a, b) => a - b);
  for (const limit of limits) {
    for (const size of [limit - 1, limit + 1]) {
      add(
        `png/bytes-${size}.png`,
        `a ${size}-byte PNG (padded with a tEXt chunk)`,
        pngOfSize(ordinary, size),
        {
          format: 'png',
          ...square,
        },
        ['standard'],
      );
    }
  }
  return images;
}

/** The whole corpus, files and manifest, with what the mock answers each under `decisions`. */
export function imageCorpus(decisions: DecisionProfile): { files: CorpusFile[]; manifest: CorpusManifest } {
  const files: CorpusFile[] = [];
  for (const image of corpusImages()) {
    const facts = { ...image.facts, bytes: image.bytes.length };
    const contentType = declaredType(image.path);
    const upload: Upload = { field: 'file', contentType, facts };
    files.push({
      entry: {
        file: `file/${image.path}`,
        field: 'file',
        contentType,
        description: image.description,
        image: facts,
        ...expectation(upload, decisions),
      },
      content: image.bytes,
    });
    const standard = image.bytes.toString('base64');
    for (const form of image.forms) {
      const text = base64Text(standard, form, contentType);
      const sent: Upload = { field: 'image_base64', form, traits: base64Traits(text), facts };
      files.push({
        entry: {
          file: `image_base64/${form}/${image.path}.txt`,
          field: 'image_base64',
          base64: form,
          description: `${image.description}, as ${BASE64_FORM_NAMES[form]}`,
          image: facts,
          ...expectation(sent, decisions),
        },
        content: text,
      });
    }
  }
  const { minSide, maxSide, maxBytes } = decidedImageConstraints(decisions);
  return {
    files,
    manifest: {
      generatedBy: 'accuauth-kit images',
      decisions,
      limits: { minSide, maxSide, maxBytes },
      entries: files.map((file) => file.entry),
    },
  };
}

const BASE64_FORM_NAMES: Record<Base64Form, string> = {
  standard: 'standard base64',
  'line-breaks': 'base64 with MIME line breaks (CRLF every 76 characters)',
  'no-padding': "base64 without its '=' padding",
  'url-safe': "URL-safe base64 ('-' and '_')",
  'data-url': 'base64 behind a data: URL prefix',
};

function base64Text(standard: string, form: Base64Form, contentType: string): string {
  switch (form) {
    case 'standard':
      return standard;
    case 'line-breaks':
      return standard.replace(/.{76}(?!$)/g, '$&\r\n');
    case 'no-padding':
      return standard.replace(/=+$/, '');
    case 'url-safe':
      return standard.replaceAll('+', '-').replaceAll('/', '_');
    case 'data-url':
      return `data:${contentType};base64,${standard}`;
  }
}

/** What a client declares for a file of this name: the spec's media type of the extension's format. */
function declaredType(path: string): string {
  return path.endsWith('.png') ? imageMediaTypes().png : imageMediaTypes().jpeg;
}

/** Not a decision: the spec reads image_base64 as RFC 4648 base64 under every alternative, and a prefix is not. */
const DATA_URL_FACT = 'image_base64 is RFC 4648 base64 (no data: URL prefix under any decision)';

type Upload =
  | { field: 'file'; contentType: string; facts: CorpusImageFacts }
  | { field: 'image_base64'; form: Base64Form; traits: Base64Traits; facts: CorpusImageFacts };

/** What the base64 decisions look at in a text, read once (a byte-limit image's text is 7 MB, judged many times). */
interface Base64Traits {
  urlSafe: boolean;
  whiteSpace: boolean;
  unpadded: boolean;
}

function base64Traits(text: string): Base64Traits {
  const whiteSpace = /\s/.test(text);
  return {
    urlSafe: /[-_]/.test(text),
    whiteSpace,
    unpadded: (whiteSpace ? text.replace(/\s/g, '') : text).length % 4 !== 0,
  };
}

type Outcome = Pick<CorpusEntry, 'status' | 'reason' | 'decidedBy'>;

/** The outcome under `decisions`, and which decisions would change it. */
function expectation(upload: Upload, decisions: DecisionProfile): Outcome & { turnsOn: DecisionName[] } {
  const outcome = judge(upload, decisions);
  const turnsOn = (Object.keys(DECISION_ALTERNATIVES) as DecisionName[]).filter((name) =>
    (DECISION_ALTERNATIVES[name] as readonly string[]).some(
      (choice) => judge(upload, { ...decisions, [name]: choice }).status !== outcome.status,
    ),
  );
  if (outcome.status === 'OK' && turnsOn[0] !== undefined) return { ...outcome, decidedBy: turnsOn[0], turnsOn };
  return { ...outcome, turnsOn };
}

/**
 * The mock's checks, in its order (mock/core: the body stage decodes image_base64, then the image stage judges
 * bytes, format, sides, damage and the declared type), stated from what the corpus knows each image is. The test
 * that sends the corpus to a started mock holds the two to the same answers.
 */
function judge(upload: Upload, decisions: DecisionProfile): Outcome {
  const { minSide, maxSide, maxBytes } = decidedImageConstraints(decisions);
  const spec = imageConstraints();
  const { facts } = upload;
  const refuse = (reason: string, decidedBy: string): Outcome => ({ status: 'INVALID_ARGUMENT', reason, decidedBy });
  if (upload.field === 'image_base64') {
    const { form, traits } = upload;
    if (form === 'data-url') {
      return refuse('image_base64 starts with a data: URL prefix, which is not base64', DATA_URL_FACT);
    }
    if (traits.urlSafe && decisions['base64-alphabet'] === 'standard') {
      return refuse("image_base64 uses the URL-safe alphabet ('-', '_')", 'base64-alphabet');
    }
    if (traits.whiteSpace && decisions['base64-whitespace'] === 'reject') {
      return refuse('image_base64 has line breaks', 'base64-whitespace');
    }
    if (traits.unpadded && decisions['base64-padding'] === 'required') {
      return refuse("image_base64 has no '=' padding", 'base64-padding');
    }
  }
  if (facts.bytes > maxBytes) {
    return refuse(`the image is ${facts.bytes} bytes; at most ${maxBytes} allowed`, 'max-image-bytes');
  }
  if (!(spec.formats as readonly string[]).includes(facts.format)) {
    return refuse(`the image is ${facts.format.toUpperCase()}, not JPEG or PNG`, 'x-image-constraints.formats');
  }
  const sides = [facts.width, facts.height];
  if (sides.some((side) => side < spec.minSide || side > spec.maxSide)) {
    return refuse(
      `the image is ${facts.width}x${facts.height} px; each side must be ${spec.minSide}..${spec.maxSide} px`,
      'x-image-constraints.minSide/maxSide',
    );
  }
  if (sides.some((side) => side < minSide || side > maxSide)) {
    return refuse(
      `the image is ${facts.width}x${facts.height} px; read as exclusive, the limits allow ${minSide}..${maxSide} px`,
      'side-limits',
    );
  }
  if (facts.truncated) {
    switch (decisions['corrupt-image']) {
      case 'invalid-argument':
        return refuse('the image is cut short (its header is whole)', 'corrupt-image');
      case 'detection-failed':
        return {
          status: 'DETECTION_FAILED',
          reason: 'the image is cut short: no face can be detected',
          decidedBy: 'corrupt-image',
        };
      case 'accept':
        break;
    }
  }
  if (upload.field === 'file' && decisions['image-format'] === 'by-declared-type') {
    const wanted = imageMediaTypes()[facts.format as ImageFormat];
    if (upload.contentType !== wanted) {
      return refuse(
        `the part is declared ${upload.contentType} but holds a ${facts.format.toUpperCase()} image`,
        'image-format',
      );
    }
  }
  return { status: 'OK', reason: 'a JPEG or PNG within every documented limit', decidedBy: 'x-image-constraints' };
}

/** A PNG of exactly `size` bytes: an ordinary image, padded with a tEXt chunk (decoders skip it). */
function pngOfSize(side: number, size: number): Buffer {
  const base = solidPng({
    width: side,
    height: side,
    colour: 'rgb',
    bitDepth: 8,
    extraChunks: [pngTextChunk('Comment', MARKER)],
  });
  const keyword = 'Padding';
  const overhead = 12 + keyword.length + 1; // length, type, CRC; the keyword and its NUL
  const text = size - base.length - overhead;
  if (text < 0) throw new Error(`a PNG of ${size} bytes is smaller than its ${base.length}-byte image`);
  const padding = pngChunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.alloc(text, 0x20)]));
  const iend = base.length - 12;
  return Buffer.concat([base.subarray(0, iend), padding, base.subarray(iend)]);
}

/** The JPEG cut halfway between its first scan header (SOS) and its end: the frame is whole, the scan is not. */
function cutInScan(jpeg: Buffer): Buffer {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  if (sos === -1) throw new Error('bug: a JPEG without a scan');
  return Buffer.from(jpeg.subarray(0, sos + Math.floor((jpeg.length - sos) / 2)));
}
