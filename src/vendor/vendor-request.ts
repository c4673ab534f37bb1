import { unwrapFetchFailure } from '../fetch-failure.js';

/**
 * The most decoded bytes of an answer the kit reads from a vendor unless told otherwise (`--max-answer-bytes`).
 * A predict_gender answer is a few hundred bytes; a mebibyte leaves room for any honest error page while a hostile
 * or broken upstream (a gzip bomb, an endless body) cannot grow the process's memory.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;

/** How much of an answer past the bound is kept, so a report can still show what the vendor started to send. */
export const OVERSIZED_EXCERPT_BYTES = 2000;

export interface VendorRequest {
  /**
   * The vendor's base URL as configured (`--base-url`, `--proxy`, `baseUrl`): the only origin the request, and so
   * its credentials, may go to. `url` must be on it.
   */
  configuredBaseUrl: string;
  /** The full URL to send to, built from `configuredBaseUrl`. */
  url: string;
  method: string;
  /** Credentials included: they go to `url` only, as redirects are never followed. */
  headers: Record<string, string>;
  body?: BodyInit | undefined;
  /** The time allowed for the whole answer, headers and body. */
  timeoutMs: number;
  /** The most decoded bytes read from the body; past it the answer is `too-large` and the rest is not read. */
  maxAnswerBytes: number;
  /** The caller's own cancellation; its reason is handed back in a `no-answer` of cause `aborted`. */
  signal?: AbortSignal | undefined;
  /** Any WHATWG fetch (the typed client lets MSW or a test put its own); the global one by default. */
  fetch?: typeof fetch | undefined;
}

interface AnswerHead {
  url: string;
  httpCode: number;
  contentType: string;
  headers: Headers;
  durationMs: number;
}

/** What a vendor request came to. Never thrown: each caller turns it into its own finding, failure or answer. */
export type VendorAnswer =
  /** A complete answer within the bounds; `text` is the decoded body. */
  | ({ kind: 'answered'; text: string } & AnswerHead)
  /**
   * A 3xx: an answer in itself, never followed, because fetch keeps custom headers (X-DF-API-SECRET) on a
   * cross-origin redirect. `location` is the header as sent, to be named (redacted) by the caller.
   */
  | ({ kind: 'redirected'; location: string | undefined } & AnswerHead)
  /** The decoded body passed `limit` bytes; reading stopped there. `excerpt` is its first bytes as text. */
  | ({ kind: 'too-large'; limit: number; excerpt: string } & AnswerHead)
  /** No complete answer: the time bound passed, the caller aborted, or the network failed. */
  | {
      kind: 'no-answer';
      url: string;
      cause: 'timeout' | 'aborted' | 'network';
      /** `no answer from URL within N ms`, `cannot reach URL: ECONNREFUSED (...)`: no secret in it. */
      message: string;
      /** fetch's error, or the caller's abort reason. */
      error: unknown;
      durationMs: number;
    };

/** The words every report, error and log uses for an answer past the bound. */
export function answerTooLargeMessage(limit: number): string {
  return `answer larger than ${limit} bytes`;
}

/**
 * Where a redirect points, for a message: `redirecting to http://127.0.0.2:8080` (the origin only: a Location's
 * path or query may carry anything the redirecting host chose to put there), or `without a Location`.
 */
export function redirectTarget(location: string | undefined, from: string): string {
  if (location === undefined) return 'redirect without a Location';
  // URL.parse is Node 22+; the package supports Node 20.
  return URL.canParse(location, from)
    ? `redirecting to ${new URL(location, from).origin}`
    : 'redirecting to an unparsable Location';
}

/**
 * The one way the kit sends a request to a vendor (record, the drift probes and behaviour re-check, the recording
 * proxy, the live contracts, the typed client): redirects are not followed, the answer's decoded body is read up to
 * `maxAnswerBytes` (a compressed body is stopped at the decoded bound, so a gzip bomb costs a mebibyte, not
 * gigabytes) and the whole exchange, body included, ends within `timeoutMs`.
 */
export async function sendToVendor(request: VendorRequest): Promise<VendorAnswer> {
  assertOnConfiguredOrigin(request.url, request.configuredBaseUrl);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const noAnswer = (error: unknown): VendorAnswer => {
    const common = { kind: 'no-answer' as const, url: request.url, error, durationMs: elapsed() };
    if (request.signal?.aborted) return { ...common, cause: 'aborted', message: 'aborted by the caller' };
    if (timeout.aborted) {
      return { ...common, cause: 'timeout', message: `no answer from ${request.url} within ${request.timeoutMs} ms` };
    }
    return { ...common, cause: 'network', message: `cannot reach ${request.url}: ${describeFailure(error)}` };
  };
  let response: Response;
  try {
    response = await (request.fetch ?? globalThis.fetch)(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    return noAnswer(error);
  }
  const head = (): AnswerHead => ({
    url: request.url,
    httpCode: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    durationMs: elapsed(),
  });
  // An opaque redirect (a browser-like fetch) has status 0; Node's fetch hands back the 3xx itself.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'redirected', location: response.headers.get('location') ?? undefined, ...head() };
  }
  try {
    const read = await readBounded(response, request.maxAnswerBytes);
    if (!read.ok) {
      return { kind: 'too-large', limit: request.maxAnswerBytes, excerpt: read.excerpt, ...head() };
    }
    return { kind: 'answered', text: read.text, ...head() };
  } catch (error) {
    return noAnswer(error);
  }
}

/**
 * A URL off the configured origin would take the credentials elsewhere: a bug in the caller (a path such as
 * `//other.host/` joined onto the base), so it throws rather than send.
 */
function assertOnConfiguredOrigin(url: string, configuredBaseUrl: string): void {
  const origin = new URL(url).origin;
  const configured = new URL(configuredBaseUrl).origin;
  if (origin !== configured) {
    throw new Error(`refusing to send credentials to ${origin}: the configured vendor origin is ${configured}`);
  }
}

/** The body as text when it fits in `limit` decoded bytes; otherwise its first bytes, the rest never read. */
async function readBounded(
  response: Response,
  limit: number,
): Promise<{ ok: true; text: string } | { ok: false; excerpt: string }> {
  if (!response.body) return { ok: true, text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    chunks.push(value);
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      const head = Buffer.concat(chunks).subarray(0, Math.min(limit, OVERSIZED_EXCERPT_BYTES));
      return { ok: false, excerpt: head.toString('utf8') };
    }
  }
  return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
}

function describeFailure(error: unknown): string {
  const { code, message } = unwrapFetchFailure(error);
  return code === undefined || message.includes(code) ? message : `${code} (${message})`;
}
