import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { imageSize } from 'image-size';
import { imageSha256 } from '../image/predicted-face.js';
import { redact } from '../secret-redaction.js';
import { credentialHeaders } from '../spec/credential-headers.js';
import { keyRefusals } from '../spec/error-catalogue.js';
import { PREDICT_GENDER_PATH } from '../spec/spec-document.js';
import type { ErrorStatus } from '../types.js';
import {
  answerTooLargeMessage,
  DEFAULT_MAX_ANSWER_BYTES,
  redirectTarget,
  sendToVendor,
} from '../vendor/vendor-request.js';
import { CASSETTE_VERSION, type Cassette, type RecordedImage, type Recording } from './cassette.js';
import { pathFromCassette } from './cassette-file.js';

/** `accuauth-kit record --max-calls`'s default: a cassette is a handful of faces, not a load test of a paid API. */
export const DEFAULT_RECORD_MAX_CALLS = 50;

/** The files a directory given to `record` contributes: images by their extension, sorted, not recursive. */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

export interface RecordTarget {
  baseUrl: string;
  apiId: string;
  apiSecret: string;
}

export interface RecordOptions {
  target: RecordTarget;
  /** Image files and directories of images. */
  images: readonly string[];
  /** Where the cassette will be written: recorded image paths are relative to its directory. */
  cassettePath: string;
  maxCalls: number;
  timeoutMs: number;
  /** The most decoded bytes read of each answer (`--max-answer-bytes`); DEFAULT_MAX_ANSWER_BYTES when not given. */
  maxAnswerBytes?: number;
  now?: () => Date;
}

/** One image that could not be recorded, with why (no secret in it). */
export interface RecordFailure {
  image: string;
  reason: string;
}

export interface RecordResult {
  cassette: Cassette;
  /** Requests sent to the target (each costs the account a call). */
  callsSpent: number;
  failures: RecordFailure[];
  /** Images not sent because --max-calls was reached. */
  notSent: string[];
}

/** An upload and what the target answered, for the recording proxy and `record` alike. */
export interface ObservedAnswer {
  httpCode: number;
  /** The JSON body, or undefined when the target did not answer JSON (an outage page: not recordable). */
  body: Record<string, unknown> | undefined;
}

/**
 * Sends each image once, as `file`, to the target and records its answer. The same bytes named twice are sent once.
 * An image that fails (unreadable file, network error, timeout, a redirect, an answer past the size bound, a
 * non-JSON answer) is named in `failures` and the
 * others are still recorded; nothing is sent past `maxCalls`.
 */
export async function recordCassette(options: RecordOptions): Promise<RecordResult> {
  const files = await expandImagePaths(options.images);
  const now = options.now ?? (() => new Date());
  const recordings: Recording[] = [];
  const failures: RecordFailure[] = [];
  const notSent: string[] = [];
  const seen = new Set<string>();
  let callsSpent = 0;
  for (const file of files.found) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      failures.push({ image: file, reason: `cannot read the image (${(error as NodeJS.ErrnoException).code})` });
      continue;
    }
    const image = describeImage(bytes, pathFromCassette(options.cassettePath, file));
    if (seen.has(image.sha256)) continue;
    if (callsSpent >= options.maxCalls) {
      notSent.push(file);
      continue;
    }
    seen.add(image.sha256);
    callsSpent += 1;
    const filename = file.split(/[\\/]/).pop() ?? 'image';
    const bounds = { timeoutMs: options.timeoutMs, maxAnswerBytes: options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES };
    const sent = await sendUpload(options.target, { field: 'file', bytes, filename }, bounds);
    const unrecordable = sent.ok ? notRecordable(sent.answer) : sent.reason;
    if (!sent.ok || unrecordable) {
      failures.push({ image: file, reason: unrecordable ?? 'not recorded' });
      continue;
    }
    recordings.push(recordingOf(image, 'file', sent.answer, options.target.baseUrl, now()));
  }
  return {
    cassette: { version: CASSETTE_VERSION, recordings },
    callsSpent,
    failures: [...files.missing, ...failures],
    notSent,
  };
}

/**
 * Why an answer must not go into a cassette, or undefined when it may: a cassette maps image bytes to the
 * vendor's answer, so only answers about the image belong there. A refusal of the key (401, 403: UNAUTHORIZED,
 * OUT_OF_QUOTA, ...) or a 5xx (an outage, a fault) says nothing about the image and would replay for every key.
 */
export function notRecordable(answer: { httpCode: number; body: Record<string, unknown> }): string | undefined {
  const status = answer.body.status;
  if (typeof status === 'string' && keyRefusals().has(status as ErrorStatus)) {
    return `HTTP ${answer.httpCode} ${status}: a refusal of the key, not an answer about the image; not recorded`;
  }
  if (answer.httpCode >= 500)
    return `HTTP ${answer.httpCode}: the target failed, not an answer about the image; not recorded`;
  return undefined;
}

/** What a cassette keeps of an image: its identity and size, never its bytes. */
export function describeImage(bytes: Uint8Array, path: string | undefined): RecordedImage {
  const described: RecordedImage = { sha256: imageSha256(bytes), bytes: bytes.byteLength };
  if (path !== undefined) described.path = path;
  try {
    const size = imageSize(bytes);
    if (size.type) described.format = size.type === 'jpg' ? 'jpeg' : size.type;
    if (size.width !== undefined) described.width = size.width;
    if (size.height !== undefined) described.height = size.height;
  } catch {
    // Not an image image-size can read: recorded without format and size, as the vendor's answer will say why.
  }
  return described;
}

/** A recording of an answer: the body without its request_id, which replay replaces with a fresh one. */
export function recordingOf(
  image: RecordedImage,
  field: Recording['field'],
  answer: { httpCode: number; body: Record<string, unknown> },
  target: string,
  at: Date,
): Recording {
  const { request_id: _dropped, ...body } = answer.body;
  return { image, field, answer: { httpCode: answer.httpCode, body }, recordedAt: at.toISOString(), target };
}

/** What one upload got: the target's JSON answer, or why there is none (no secret in it). */
export type SentUpload =
  | { ok: true; answer: { httpCode: number; body: Record<string, unknown> } }
  /**
   * No answer to record: `redirected` (a 3xx, not followed, its code kept so the proxy can relay it), `too-large`
   * (past the answer bound), or `unusable` (no answer, a timeout, a body that is not a JSON object).
   */
  | { ok: false; kind: 'redirected'; httpCode: number; reason: string }
  | { ok: false; kind: 'too-large' | 'unusable'; reason: string };

/** One upload to send: the image bytes, the field that carries them, a file name for a `file` part. */
export interface Upload {
  field: Recording['field'];
  bytes: Uint8Array;
  filename: string;
}

/** The bounds of one exchange with a vendor: the time for the whole answer, and its decoded size. */
export interface AnswerBounds {
  timeoutMs: number;
  maxAnswerBytes: number;
}

/**
 * Sends one image to the target's endpoint with the given key, as `file` or as `image_base64` (a multipart text
 * field): `record`, the recording proxy and the behavioural drift check all send through here, and so through
 * `sendToVendor` (no redirect followed, the answer bounded). Only a JSON object counts as an answer, and it comes
 * back with the key's secret (and any `otherSecrets`) already redacted: everything downstream of here (cassettes,
 * the journal, reports) writes what a vendor echoed without ever holding the secret.
 */
export async function sendUpload(
  target: RecordTarget,
  upload: Upload,
  bounds: AnswerBounds,
  otherSecrets: readonly string[] = [],
): Promise<SentUpload> {
  const headers = credentialHeaders();
  const secrets = [target.apiSecret, ...otherSecrets];
  const form = new FormData();
  if (upload.field === 'file') form.append('file', new Blob([new Uint8Array(upload.bytes)]), upload.filename);
  else form.append('image_base64', Buffer.from(upload.bytes).toString('base64'));
  const url = new URL(PREDICT_GENDER_PATH, target.baseUrl).toString();
  const sent = await sendToVendor({
    configuredBaseUrl: target.baseUrl,
    url,
    method: 'POST',
    headers: { [headers.apiId]: target.apiId, [headers.apiSecret]: target.apiSecret },
    body: form,
    ...bounds,
  });
  switch (sent.kind) {
    case 'no-answer':
      return { ok: false, kind: 'unusable', reason: redact(sent.message, secrets) };
    case 'redirected':
      return {
        ok: false,
        kind: 'redirected',
        httpCode: sent.httpCode,
        reason: redact(`HTTP ${sent.httpCode} ${redirectTarget(sent.location, url)}, not followed`, secrets),
      };
    case 'too-large':
      return {
        ok: false,
        kind: 'too-large',
        reason: `HTTP ${sent.httpCode}: ${answerTooLargeMessage(sent.limit)}, not read further`,
      };
    case 'answered':
      break;
  }
  let body: unknown;
  try {
    body = JSON.parse(sent.text);
  } catch {
    const excerpt = sent.text.slice(0, 80).replace(/\s+/g, ' ');
    return {
      ok: false,
      kind: 'unusable',
      reason: redact(`HTTP ${sent.httpCode} with a body that is not JSON (${excerpt}); not recorded`, secrets),
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      kind: 'unusable',
      reason: `HTTP ${sent.httpCode} with JSON that is not an object; not recorded`,
    };
  }
  return { ok: true, answer: { httpCode: sent.httpCode, body: redact(body as Record<string, unknown>, secrets) } };
}

/** Files as given, directories expanded to their images; paths that do not exist are failures, not a crash. */
async function expandImagePaths(paths: readonly string[]): Promise<{ found: string[]; missing: RecordFailure[] }> {
  const found: string[] = [];
  const missing: RecordFailure[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((name) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase()));
        found.push(...names.sort().map((name) => join(path, name)));
      } else {
        found.push(path);
      }
    } catch (error) {
      missing.push({ image: path, reason: `cannot read it (${(error as NodeJS.ErrnoException).code})` });
    }
  }
  return { found, missing };
}
