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
  const form = new FormData();
  if ('file' in input) {
    const { blob, filename } = await fileBlob(input.file);
    form.append('file', blob, filename);
  } else {
    form.append('image_base64', input.imageBase64);
  }
  return form;
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
