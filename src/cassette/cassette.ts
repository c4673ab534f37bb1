import { Ajv2020, type JSONSchemaType } from 'ajv/dist/2020.js';
import { Document, parse } from 'yaml';

/**
 * A cassette: answers the live vendor gave to images, recorded once (`accuauth-kit record`, or the mock's recording
 * proxy) and replayed by the mock in CI, where an upload of the same bytes is answered with the recorded code and
 * body and a fresh request_id. The nightly drift check re-sends the images and compares (behavioural drift).
 * What it never holds: credentials, request_ids (every answer gets a fresh one), image bytes (the image is named by
 * its path beside the cassette and identified by its sha256).
 */
export interface Cassette {
  /** The format of this file; a newer format is refused with a message rather than misread. */
  version: 1;
  recordings: Recording[];
}

export interface Recording {
  image: RecordedImage;
  /** Which request field carried the image when it was recorded. */
  field: 'file' | 'image_base64';
  answer: RecordedAnswer;
  /** RFC 3339 instant of the vendor's answer. */
  recordedAt: string;
  /** The base URL the answer came from, without credentials. */
  target: string;
}

export interface RecordedImage {
  /** Lowercase hex sha256 of the image bytes: what replay matches uploads on. */
  sha256: string;
  /** The image file, relative to the cassette's directory (absent for uploads recorded by the proxy). */
  path?: string;
  bytes: number;
  format?: string;
  width?: number;
  height?: number;
}

export interface RecordedAnswer {
  httpCode: number;
  /** The vendor's JSON body without `request_id`, kept verbatim (even where it breaks the spec: that is drift). */
  body: Record<string, unknown>;
}

export const CASSETTE_VERSION = 1;

const recordingSchema: JSONSchemaType<Recording> = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'field', 'answer', 'recordedAt', 'target'],
  properties: {
    image: {
      type: 'object',
      additionalProperties: false,
      required: ['sha256', 'bytes'],
      properties: {
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        path: { type: 'string', minLength: 1, nullable: true },
        bytes: { type: 'integer', minimum: 0 },
        format: { type: 'string', nullable: true },
        width: { type: 'integer', minimum: 0, nullable: true },
        height: { type: 'integer', minimum: 0, nullable: true },
      },
    },
    field: { type: 'string', enum: ['file', 'image_base64'] },
    answer: {
      type: 'object',
      additionalProperties: false,
      required: ['httpCode', 'body'],
      properties: {
        httpCode: { type: 'integer', minimum: 100, maximum: 599 },
        body: { type: 'object', required: [], additionalProperties: true },
      },
    },
    recordedAt: { type: 'string', minLength: 1 },
    target: { type: 'string', minLength: 1 },
  },
};

// ajv's JSONSchemaType checks at compile time that this schema describes `Cassette`: one shape, stated once.
const cassetteSchema: JSONSchemaType<Cassette> = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'recordings'],
  properties: {
    version: { type: 'integer', const: CASSETTE_VERSION },
    recordings: { type: 'array', items: recordingSchema },
  },
};

let validator: ReturnType<Ajv2020['compile']> | undefined;

export type CassetteCheck = { ok: true; cassette: Cassette } | { ok: false; reason: string };

/** Checks a parsed value against the cassette schema; the reason names the bad field, `recordings[2].image.sha256`. */
export function checkCassette(value: unknown): CassetteCheck {
  validator ??= new Ajv2020({ allErrors: false, strict: true, strictRequired: false }).compile(cassetteSchema);
  if (validator(value)) return { ok: true, cassette: value as Cassette };
  const error = validator.errors?.[0];
  const where = (error?.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
  const version = (value as { version?: unknown } | null)?.version;
  if (where === 'version' || (error?.keyword === 'const' && version !== CASSETTE_VERSION)) {
    return {
      ok: false,
      reason: `version is ${JSON.stringify(version)}; this accuauth-kit reads version ${CASSETTE_VERSION}`,
    };
  }
  return { ok: false, reason: `${where || 'the cassette'} ${error?.message ?? 'is invalid'}` };
}

/** Parses a cassette's YAML (or JSON) text. */
export function parseCassette(text: string): CassetteCheck {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? '';
    return { ok: false, reason: `not valid YAML: ${first.replace(/:\s*$/, '')}` };
  }
  return checkCassette(value);
}

/** The YAML text of a cassette, with a header comment saying what the file is and that it holds no secret. */
export function serializeCassette(cassette: Cassette): string {
  const document = new Document(cassette);
  document.commentBefore =
    ' accuauth-kit cassette: answers of the AccuAuth predict_gender API, recorded to be replayed by the mock\n' +
    ' (mock --cassette FILE) and re-checked by the drift check (drift --cassette FILE). No credentials, no\n' +
    ' request_ids, no image bytes: images are named by path, relative to this file, and sha256.';
  return document.toString({ lineWidth: 0 });
}
