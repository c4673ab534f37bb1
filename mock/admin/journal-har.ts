import { STATUS_CODES } from 'node:http';
import { packageVersion } from '../../src/package-version.js';
import type { JournalBody, JournalEntry } from '../core/index.js';

/** A HAR 1.2 name/value pair (headers, query string, post parameters). */
interface HarPair {
  name: string;
  value: string;
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: HarPair[];
    queryString: HarPair[];
    postData?: { mimeType: string; params: (HarPair & { comment?: string })[]; comment: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: HarPair[];
    content: { size: number; mimeType: string; text: string };
    redirectURL: '';
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** HAR allows custom fields starting with `_`: what the mock decided and why, as the journal has it. */
  _accuauth: Record<string, unknown>;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment: string;
  };
}

/**
 * The journal as a HAR 1.2 log, so a bug report can carry what the mock saw and devtools (or any HAR viewer) can
 * open it. It holds what the journal holds and nothing more: headers as journaled (every secret already
 * `[REDACTED]` by name), and of a request body only what the journal keeps of it (the field, the image's size,
 * format and sha256: never the image, which is the client's data and may be a person's face). `origin` (the mock's
 * own, as the caller reached it) makes each URL absolute, as HAR requires.
 */
export function journalAsHar(entries: readonly JournalEntry[], origin: string): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'accuauth-kit mock', version: packageVersion() },
      entries: entries.map((entry) => harEntry(entry, origin)),
      comment:
        'Requests the accuauth-kit mock answered, from its journal: secrets redacted, image bytes not kept ' +
        '(each upload is described by its field, size, format and sha256).',
    },
  };
}

function harEntry(entry: JournalEntry, origin: string): HarEntry {
  // Appended, not resolved: a journaled path such as `//elsewhere/x` must not turn into another host's URL.
  const url = URL.canParse(`${origin}${entry.path}`) ? new URL(`${origin}${entry.path}`) : new URL(origin);
  const answer = typeof entry.answer === 'string' ? entry.answer : JSON.stringify(entry.answer);
  const answerBytes = Buffer.byteLength(answer);
  const mimeType = typeof entry.answer === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  const postData = postDataOf(entry.body, entry.headers['content-type']);
  return {
    startedDateTime: entry.at,
    time: entry.latencyMs,
    request: {
      method: entry.method,
      url: url.toString(),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: Object.entries(entry.headers).map(([name, value]) => ({ name, value })),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(postData ? { postData } : {}),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: entry.httpCode,
      statusText: STATUS_CODES[entry.httpCode] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'content-type', value: mimeType }],
      content: { size: answerBytes, mimeType, text: answer },
      redirectURL: '',
      headersSize: -1,
      bodySize: answerBytes,
    },
    cache: {},
    // The mock knows the delay it added, not the network's share: all of it is waiting for the answer.
    timings: { send: 0, wait: entry.latencyMs, receive: 0 },
    _accuauth: {
      status: entry.status,
      decidedBy: entry.decidedBy,
      ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
      ...(entry.keyId === undefined ? {} : { keyId: entry.keyId }),
      ...(entry.scenario === undefined ? {} : { scenario: entry.scenario }),
      ...(entry.cassette === undefined ? {} : { cassette: entry.cassette }),
      ...(entry.diagnosis === undefined ? {} : { diagnosis: entry.diagnosis }),
      body: entry.body,
    },
  };
}

/** What HAR can say of a body the journal summarised: its media type and the image field, described, not sent. */
function postDataOf(body: JournalBody, contentType: string | undefined): HarEntry['request']['postData'] | undefined {
  if (body.kind === 'unread') return undefined;
  const described = [
    body.imageBytes === undefined ? undefined : `${body.imageBytes} bytes`,
    body.imageFormat,
    body.width !== undefined && body.height !== undefined ? `${body.width}x${body.height}` : undefined,
    body.imageSha256 === undefined ? undefined : `sha256 ${body.imageSha256}`,
  ].filter((part): part is string => part !== undefined);
  const comment = `the body as the journal keeps it (${body.kind}); the image bytes are not kept`;
  return {
    // The header as sent (the journal's `contentType` is the form's kind, not a media type).
    mimeType: contentType ?? '',
    params:
      body.field === undefined
        ? []
        : [{ name: body.field, value: '', comment: `image not kept: ${described.join(', ') || 'not read'}` }],
    comment,
  };
}
