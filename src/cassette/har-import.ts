import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeImageBase64 } from '../image/base64-image.js';
import { redact } from '../secret-redaction.js';
import { credentialHeaders } from '../spec/credential-headers.js';
import { PREDICT_GENDER_PATH } from '../spec/spec-document.js';
import { specValidators } from '../validation/spec-validators.js';
import { CASSETTE_VERSION, type Cassette, type Recording } from './cassette.js';
import { pathFromCassette } from './cassette-file.js';
import { describeImage, notRecordable, recordingOf } from './cassette-recorder.js';

/** The largest HAR file read: a browser session with a few hundred uploads, base64 twice over, fits well. */
export const MAX_HAR_BYTES = 512 * 1024 * 1024;

/** The parts of a HAR 1.2 entry the import reads; everything is checked, since a HAR is whatever a tool wrote. */
interface HarPostData {
  mimeType?: unknown;
  text?: unknown;
  /** Not HAR 1.2, but written by several tools (and Chrome for binary bodies) when the text is base64. */
  encoding?: unknown;
  params?: unknown;
}

/** A predict_gender call of the HAR that is not in the cassette, and why (no secret in it). */
export interface HarCallNotImported {
  /** `entries[3] POST https://.../face/predict_gender`. */
  entry: string;
  reason: string;
}

export interface HarImport {
  cassette: Cassette;
  /** Image files to write beside the cassette: the path a recording names, and the bytes. */
  images: { path: string; bytes: Buffer }[];
  /** predict_gender calls not imported, each named with why. */
  notImported: HarCallNotImported[];
  /** Calls of the same image as an earlier one: the first answer is kept. */
  duplicates: number;
  /** Entries that are not predict_gender calls (the page, its scripts, other APIs): skipped, counted. */
  otherEntries: number;
  /** Recordings kept although their answer is not one the spec documents (`keepUndocumented`). */
  undocumentedKept: HarCallNotImported[];
}

export type HarImportResult = { ok: true; imported: HarImport } | { ok: false; reason: string };

export interface HarImportOptions {
  /** Where the cassette will be written: images go beside it, named by sha256, and are named relative to it. */
  cassettePath: string;
  /** Keep answers the spec does not document (named in `undocumentedKept`) instead of leaving them out. */
  keepUndocumented?: boolean;
}

/**
 * Turns the predict_gender calls of a HAR (browser devtools, a proxy, Playwright's recordHar) into a cassette: the
 * image each call sent (a multipart `file` part or an `image_base64` field, of a multipart, JSON or urlencoded
 * body, as text or base64-encoded), keyed by sha256, and the answer it got, checked against the spec. Credentials
 * are never carried over: the request headers are not read except to learn the secrets the calls sent, which are
 * redacted from every answer that echoes one. Every call left out is named with why; other entries are counted.
 */
export async function importHar(text: string, options: HarImportOptions): Promise<HarImportResult> {
  let har: unknown;
  try {
    har = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) return { ok: false, reason: 'not a HAR file: it has no log.entries list' };

  const secrets = entrySecrets(entries);
  const imported: HarImport = {
    cassette: { version: CASSETTE_VERSION, recordings: [] },
    images: [],
    notImported: [],
    duplicates: 0,
    otherEntries: 0,
    undocumentedKept: [],
  };
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const request = (entry as { request?: { method?: unknown; url?: unknown; postData?: HarPostData } } | null)
      ?.request;
    const url = typeof request?.url === 'string' && URL.canParse(request.url) ? new URL(request.url) : undefined;
    if (!url || request?.method !== 'POST' || !url.pathname.endsWith(PREDICT_GENDER_PATH)) {
      imported.otherEntries += 1;
      continue;
    }
    // The URL as the cassette's `target`: its origin only, never a user:password or a query that might carry a key.
    const name = `entries[${index}] POST ${url.origin}${url.pathname}`;
    const skip = (reason: string) => imported.notImported.push({ entry: name, reason: redact(reason, secrets) });
    const upload = await uploadOf(request.postData);
    if (!upload.ok) {
      skip(upload.reason);
      continue;
    }
    const answer = answerOf((entry as { response?: unknown }).response);
    if (!answer.ok) {
      skip(answer.reason);
      continue;
    }
    const refused = notRecordable(answer);
    if (refused) {
      skip(refused);
      continue;
    }
    const image = describeImage(upload.bytes, undefined);
    if (seen.has(image.sha256)) {
      imported.duplicates += 1;
      continue;
    }
    const checked = specValidators().response(answer.httpCode, answer.body);
    if (!checked.valid) {
      const why = `HTTP ${answer.httpCode} ${String(answer.body.status ?? '(no status)')} is not an answer the spec documents (${checked.errors.join('; ')})`;
      if (!options.keepUndocumented) {
        skip(`${why}; not imported (--keep-undocumented keeps it)`);
        continue;
      }
      imported.undocumentedKept.push({ entry: name, reason: redact(why, secrets) });
    }
    seen.add(image.sha256);
    const file = join(dirname(options.cassettePath), `${image.sha256}.${extensionOf(image.format)}`);
    image.path = pathFromCassette(options.cassettePath, file);
    imported.images.push({ path: file, bytes: upload.bytes });
    const startedAt = (entry as { startedDateTime?: unknown }).startedDateTime;
    const at = typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt)) ? new Date(startedAt) : new Date();
    const recording: Recording = recordingOf(image, upload.field, answer, url.origin, at);
    imported.cassette.recordings.push(redact(recording, secrets));
  }
  return { ok: true, imported };
}

/** Writes the imported images beside the cassette; an image already there (the same sha256) is the same bytes. */
export async function writeImportedImages(images: HarImport['images']): Promise<void> {
  for (const image of images) {
    await mkdir(dirname(image.path), { recursive: true });
    try {
      await writeFile(image.path, image.bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Every X-DF-API-SECRET the HAR's entries sent: an answer echoing one must not carry it into the cassette. */
function entrySecrets(entries: readonly unknown[]): string[] {
  const secretHeader = credentialHeaders().apiSecretLower;
  const secrets = new Set<string>();
  for (const entry of entries) {
    const headers = (entry as { request?: { headers?: unknown } } | null)?.request?.headers;
    if (!Array.isArray(headers)) continue;
    for (const header of headers as { name?: unknown; value?: unknown }[]) {
      if (typeof header?.name === 'string' && header.name.toLowerCase() === secretHeader) {
        if (typeof header.value === 'string' && header.value !== '') secrets.add(header.value);
      }
    }
  }
  return [...secrets];
}

type UploadRead = { ok: true; field: Recording['field']; bytes: Buffer } | { ok: false; reason: string };

/** The image a call sent, from its postData, or why it cannot be recovered. */
async function uploadOf(postData: HarPostData | undefined): Promise<UploadRead> {
  if (!postData) return { ok: false, reason: 'the HAR has no postData for it (the tool did not keep the body)' };
  const mimeType = typeof postData.mimeType === 'string' ? postData.mimeType : '';
  const essence = (mimeType.split(';')[0] ?? '').trim().toLowerCase();
  const base64Text = postData.encoding === 'base64';
  const text = typeof postData.text === 'string' ? postData.text : undefined;
  const params = Array.isArray(postData.params)
    ? (postData.params as { name?: unknown; value?: unknown }[]).filter(
        (param): param is { name: string; value?: unknown } => typeof param?.name === 'string',
      )
    : [];
  const param = (name: string) => {
    const value = params.find((entry) => entry.name === name)?.value;
    return typeof value === 'string' ? value : undefined;
  };
  switch (essence) {
    case 'multipart/form-data': {
      if (text !== undefined) return fromMultipart(text, mimeType, base64Text);
      const base64 = param('image_base64');
      if (base64 !== undefined) return fromBase64(base64);
      if (params.some((entry) => entry.name === 'file')) {
        return {
          ok: false,
          reason:
            'the HAR lists the multipart `file` part without its bytes (no postData.text); export the HAR with ' +
            'content (devtools "Save all as HAR with content", Playwright recordHar content: "embed")',
        };
      }
      return { ok: false, reason: 'its multipart body has neither a `file` part nor an `image_base64` field' };
    }
    case 'application/json': {
      if (text === undefined) return { ok: false, reason: 'its JSON body is not in the HAR (no postData.text)' };
      let value: unknown;
      try {
        value = JSON.parse(base64Text ? Buffer.from(text, 'base64').toString('utf8') : text);
      } catch {
        return { ok: false, reason: 'its application/json body is not valid JSON' };
      }
      const base64 = (value as { image_base64?: unknown } | null)?.image_base64;
      if (typeof base64 !== 'string') return { ok: false, reason: 'its JSON body has no `image_base64` string' };
      return fromBase64(base64);
    }
    case 'application/x-www-form-urlencoded': {
      // The text is the body as sent; params, when that is all a tool kept, hold the values URL-encoded or not.
      const base64 =
        text !== undefined
          ? new URLSearchParams(base64Text ? Buffer.from(text, 'base64').toString('latin1') : text).get('image_base64')
          : decodeParam(param('image_base64'));
      if (base64 === null || base64 === undefined) {
        return { ok: false, reason: 'its urlencoded body has no `image_base64` field' };
      }
      return fromBase64(base64);
    }
    default:
      return {
        ok: false,
        reason: `its body is ${mimeType || 'of no stated type'}, which carries no image the API reads`,
      };
  }
}

/**
 * The image of a multipart body kept as text. With `encoding: base64` the bytes are exact. As plain text a tool
 * has turned bytes into characters: read back one byte per character (latin1), which recovers a body a tool kept
 * byte for byte, or as UTF-8; a body whose binary was replaced (U+FFFD, what a UTF-8 decoder puts for bytes it
 * cannot read) cannot be recovered, and the reason says how to export it instead.
 */
async function fromMultipart(text: string, mimeType: string, base64Text: boolean): Promise<UploadRead> {
  const candidates: Buffer[] = base64Text
    ? [Buffer.from(text, 'base64')]
    : [
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is "every character fits in one byte".
        ...(/^[\u0000-\u00ff]*$/.test(text) ? [Buffer.from(text, 'latin1')] : []),
        Buffer.from(text, 'utf8'),
      ];
  let lastReason = 'its multipart body could not be parsed';
  for (const body of candidates) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': mimeType } }).formData();
    } catch (error) {
      lastReason = `its multipart body could not be parsed (${(error as Error).message})`;
      continue;
    }
    const file = form.get('file');
    if (file !== null && typeof file !== 'string') {
      const bytes = Buffer.from(await file.arrayBuffer());
      // Exact bytes (base64), bytes an image reader recognises, or one byte per character with nothing replaced:
      // the upload as sent, whatever it was (the vendor's answer to a non-image is worth replaying too).
      const exact = base64Text || (!text.includes('\ufffd') && body === candidates[0] && candidates.length === 2);
      if (exact || describeImage(bytes, undefined).format !== undefined) return { ok: true, field: 'file', bytes };
      lastReason = text.includes('\ufffd')
        ? 'the HAR kept its multipart `file` part as text with the binary bytes replaced (U+FFFD), so the image ' +
          'cannot be recovered; export the HAR with the body base64-encoded, or record with accuauth-kit record'
        : 'its multipart `file` part was kept as text that is not one byte per character, so its bytes cannot be ' +
          'recovered; export the HAR with the body base64-encoded';
      continue;
    }
    const base64 = form.get('image_base64');
    if (typeof base64 === 'string') return fromBase64(base64);
    return { ok: false, reason: 'its multipart body has neither a `file` part nor an `image_base64` field' };
  }
  return { ok: false, reason: lastReason };
}

/** Decodes as the mock does (the spec's base64 decisions), so the sha256 is the one replay will look up. */
function fromBase64(text: string): UploadRead {
  const decoded = decodeImageBase64(text);
  if (!decoded.ok) {
    return { ok: false, reason: `its image_base64 is one the mock refuses before replay (${decoded.reason})` };
  }
  return { ok: true, field: 'image_base64', bytes: decoded.bytes };
}

function decodeParam(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

type AnswerRead = { ok: true; httpCode: number; body: Record<string, unknown> } | { ok: false; reason: string };

/** The vendor's JSON answer of an entry, or why there is none to record. */
function answerOf(response: unknown): AnswerRead {
  const status = (response as { status?: unknown } | null)?.status;
  const content = (response as { content?: { text?: unknown; encoding?: unknown } } | null)?.content;
  if (typeof status !== 'number' || status <= 0) {
    return { ok: false, reason: 'it got no answer (the HAR shows no HTTP status: blocked, cancelled or failed)' };
  }
  if (typeof content?.text !== 'string') {
    return { ok: false, reason: `HTTP ${status} whose body the HAR did not keep (export it with content)` };
  }
  const text = content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      ok: false,
      reason: `HTTP ${status} with a body that is not JSON (${text.slice(0, 60).replace(/\s+/g, ' ')})`,
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: `HTTP ${status} with JSON that is not an object` };
  }
  return { ok: true, httpCode: status, body: body as Record<string, unknown> };
}

function extensionOf(format: string | undefined): string {
  if (format === 'jpeg') return 'jpg';
  return format ?? 'bin';
}
