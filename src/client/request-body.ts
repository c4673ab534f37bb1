import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { sniffImageFormat } from '../image/formats/image-format-sniffing.js';

/** The image to send: a file (bytes, a Blob, or a path to read), or base64 text the caller already has. */
export type PredictGenderInput = { file: Buffer | Uint8Array | Blob | string } | { imageBase64: string };

/**
 * The multipart body of a predict_gender call. `image_base64` goes in multipart as well, not urlencoded: the
 * vendor documents multipart, and the urlencoded form is only our spec's decision, so the client uses the form
 * every server must accept.
 */
export async function buildRequestBody(input: PredictGenderInput): Promise<FormData> {
  checkInput(input);
  const form = new FormData();
  if ('file' in input) {
    const { blob, filename } = await fileBlob(input.file);
    form.append('file', blob, filename);
  } else {
    form.append('image_base64', input.imageBase64);
  }
  return form;
}

/**
 * The types say an image is given, but a JavaScript caller can pass `{}` or `{ file: undefined }`: FormData would
 * then send the text `undefined` as the image, a paid call answered with an error. Refused here, before any network.
 */
function checkInput(input: unknown): asserts input is PredictGenderInput {
  const usage = 'pass { file: Buffer | Uint8Array | Blob | path } or { imageBase64: string }';
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(`predictGender: no image given (${input === null ? 'null' : typeof input}); ${usage}`);
  }
  const given = input as Record<string, unknown>;
  if ('file' in given && given.file !== undefined) {
    const file = given.file;
    const empty =
      (typeof file === 'string' && file === '') ||
      (file instanceof Uint8Array && file.byteLength === 0) ||
      (file instanceof Blob && file.size === 0);
    if (empty) throw new TypeError(`predictGender: file is empty; ${usage}`);
    if (typeof file !== 'string' && !(file instanceof Uint8Array) && !(file instanceof Blob)) {
      throw new TypeError(`predictGender: file is a ${describeType(file)}, not an image; ${usage}`);
    }
    return;
  }
  if ('imageBase64' in given && given.imageBase64 !== undefined) {
    if (typeof given.imageBase64 !== 'string') {
      throw new TypeError(`predictGender: imageBase64 is a ${describeType(given.imageBase64)}, not text; ${usage}`);
    }
    if (given.imageBase64.trim() === '') throw new TypeError(`predictGender: imageBase64 is empty; ${usage}`);
    return;
  }
  const fields = Object.keys(given);
  const got = fields.length === 0 ? 'an empty object' : `only ${fields.join(', ')} (undefined or unknown)`;
  throw new TypeError(`predictGender: no image given, got ${got}; ${usage}`);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

async function fileBlob(file: Buffer | Uint8Array | Blob | string): Promise<{ blob: Blob; filename: string }> {
  if (typeof file === 'string') {
    const bytes = await readFile(file);
    return { blob: new Blob([bytes], { type: mediaTypeOf(bytes) }), filename: basename(file) };
  }
  if (file instanceof Blob) {
    const named = 'name' in file && typeof file.name === 'string' && file.name !== '' ? file.name : 'image';
    const blob = file.type === '' ? new Blob([file], { type: mediaTypeOf(await head(file)) }) : file;
    return { blob, filename: named };
  }
  // Copy into a fresh ArrayBuffer-backed view: a Buffer may be a window on Node's shared pool.
  const bytes = new Uint8Array(file);
  return { blob: new Blob([bytes], { type: mediaTypeOf(bytes) }), filename: 'image' };
}

async function head(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, 8).arrayBuffer());
}

/**
 * The part's content type, from the image's first bytes. Servers judge the image by its content (the spec's
 * decision), so this is a courtesy to proxies and validators that read the part header; anything that is neither
 * JPEG nor PNG (by the mock's own sniffer) is sent as plain bytes and the server says what it thinks of it.
 */
function mediaTypeOf(bytes: Uint8Array): string {
  const format = sniffImageFormat(bytes);
  return format === undefined ? 'application/octet-stream' : `image/${format}`;
}
