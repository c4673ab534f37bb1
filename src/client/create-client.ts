import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { REDACTED, secretRedactor } from '../secret-redaction.js';
import { readCredentialHeaders } from '../spec/credential-headers.js';
import { loadSpec, PREDICT_GENDER_PATH, vendorBaseUrl } from '../spec/spec-document.js';
import type { ErrorResponse, PredictGenderResponse } from '../types.js';
import { specValidators } from '../validation/spec-validators.js';
import {
  answerTooLargeMessage,
  DEFAULT_MAX_ANSWER_BYTES,
  redirectTarget,
  sendToVendor,
} from '../vendor/vendor-request.js';
import { VENDOR_TIMEOUT_MS } from '../vendor-timeouts.js';
import {
  AccuAuthApiError,
  AccuAuthNetworkError,
  AccuAuthResponseError,
  AccuAuthTimeoutError,
  apiErrorFor,
} from './client-errors.js';
import { buildRequestBody, type PredictGenderInput } from './request-body.js';
import { backoffDelay, checkRetryOptions, isRetryable, NO_RETRY, type RetryOptions } from './retry-policy.js';

export interface ClientOptions {
  /** Defaults to the spec's server, the vendor's production API. */
  baseUrl?: string;
  apiId: string;
  apiSecret: string;
  /** Per attempt: the time allowed for the whole answer to arrive. Defaults to 30 s. */
  timeoutMs?: number;
  /** The most decoded bytes of an answer read; a larger one is an `AccuAuthResponseError` (`too-large`). 1 MiB. */
  maxAnswerBytes?: number;
  /** Retries of RATE_LIMIT_EXCEEDED and INTERNAL_ERROR; off unless given. */
  retry?: RetryOptions;
  /**
   * Any WHATWG fetch; defaults to the global one, looked up at each call (not when the client is created), so a
   * client made before MSW or another interceptor patches `globalThis.fetch` is still intercepted.
   */
  fetch?: typeof fetch;
}

export interface PredictGenderOptions {
  /** Sent as the `Prefer` header, which Prism and the accuauth-kit mock read to pick an answer. */
  prefer?: string;
  /** Aborts the call, including a backoff wait; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface AccuAuthClient {
  readonly baseUrl: string;
  /**
   * Resolves with the spec-validated answer of a successful call; rejects with an `AccuAuthApiError` subclass
   * for a documented error, or with `AccuAuthTimeoutError`, `AccuAuthNetworkError` or `AccuAuthResponseError`.
   */
  predictGender(input: PredictGenderInput, options?: PredictGenderOptions): Promise<PredictGenderResponse>;
}

const DEFAULT_TIMEOUT_MS = VENDOR_TIMEOUT_MS.client;
const EXCERPT_LENGTH = 200;

export function createClient(options: ClientOptions): AccuAuthClient {
  const spec = loadSpec();
  const { apiId, apiSecret } = options;
  if (typeof apiId !== 'string' || apiId === '') throw new TypeError('createClient: apiId must be a non-empty string');
  if (typeof apiSecret !== 'string' || apiSecret === '') {
    throw new TypeError('createClient: apiSecret must be a non-empty string');
  }
  const baseUrl = (options.baseUrl ?? vendorBaseUrl(spec)).replace(/\/+$/, '');
  const url = `${baseUrl}${PREDICT_GENDER_PATH}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError('createClient: timeoutMs must be > 0');
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  if (!(Number.isInteger(maxAnswerBytes) && maxAnswerBytes > 0)) {
    throw new RangeError('createClient: maxAnswerBytes must be a whole number > 0');
  }
  const retry = checkRetryOptions(options.retry ?? NO_RETRY);
  const transport = (): typeof fetch => options.fetch ?? globalThis.fetch;
  const redact = secretRedactor(apiSecret);
  // The header names are the spec's security schemes, so a renamed header is one edit in the spec.
  const names = readCredentialHeaders(spec);
  const headers: Record<string, string> = {
    [names.apiId]: apiId,
    [names.apiSecret]: apiSecret,
    accept: 'application/json',
  };

  async function attempt(body: FormData, call: PredictGenderOptions): Promise<PredictGenderResponse> {
    const requestHeaders = call.prefer === undefined ? headers : { ...headers, prefer: call.prefer };
    const sent = await sendToVendor({
      configuredBaseUrl: baseUrl,
      url,
      method: 'POST',
      headers: requestHeaders,
      body,
      timeoutMs,
      maxAnswerBytes,
      signal: call.signal,
      fetch: transport(),
    });
    switch (sent.kind) {
      case 'no-answer':
        if (sent.cause === 'aborted') throw call.signal?.reason;
        if (sent.cause === 'timeout') throw new AccuAuthTimeoutError(timeoutMs);
        throw new AccuAuthNetworkError(redact(sent.message), { cause: sent.error });
      case 'redirected':
        // Never followed: fetch would carry X-DF-API-SECRET to wherever the Location points.
        throw new AccuAuthResponseError('redirect', sent.httpCode, [
          redact(
            `HTTP ${sent.httpCode} ${redirectTarget(sent.location, url)}, not followed: the key goes to ${baseUrl} only`,
          ),
        ]);
      case 'too-large':
        throw new AccuAuthResponseError('too-large', sent.httpCode, [
          `${answerTooLargeMessage(sent.limit)}; raise maxAnswerBytes if the server is trusted`,
        ]);
      case 'answered':
        return readAnswer(sent.httpCode, sent.httpCode >= 200 && sent.httpCode < 300, sent.text, redact);
    }
  }

  async function predictGender(
    input: PredictGenderInput,
    call: PredictGenderOptions = {},
  ): Promise<PredictGenderResponse> {
    const body = await buildRequestBody(input);
    for (let retryIndex = 0; ; retryIndex++) {
      try {
        return await attempt(body, call);
      } catch (error) {
        const again = error instanceof AccuAuthApiError && isRetryable(error.status) && retryIndex < retry.retries;
        if (!again) throw error;
      }
      // node:timers/promises rejects an aborted wait with its own AbortError; the caller gets its signal's reason.
      await sleep(backoffDelay(retryIndex, retry), undefined, { signal: call.signal }).catch((error: unknown) => {
        throw call.signal?.aborted ? call.signal.reason : error;
      });
    }
  }

  const shown = { baseUrl, apiId, apiSecret: REDACTED };
  return Object.freeze({
    baseUrl,
    predictGender,
    toString: () => `AccuAuthClient(${baseUrl}, apiId ${apiId})`,
    toJSON: () => shown,
    [inspect.custom]: () => `AccuAuthClient ${inspect(shown)}`,
  });
}

/**
 * Judges an answer against the spec before trusting it: an undocumented code, a body that is not JSON, or a body
 * that does not match its code's schema is an `AccuAuthResponseError`; a documented error becomes its family's
 * `AccuAuthApiError`; only a valid success is returned.
 */
function readAnswer(httpCode: number, ok: boolean, text: string, redact: (s: string) => string): PredictGenderResponse {
  const validators = specValidators();
  const excerpt = () => redact(text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}...` : text);
  if (!validators.documentedCodes.includes(httpCode)) {
    throw new AccuAuthResponseError('undocumented-code', httpCode, [
      `the spec documents no HTTP ${httpCode}`,
      excerpt(),
    ]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AccuAuthResponseError('not-json', httpCode, [`the body is not JSON: ${JSON.stringify(excerpt())}`]);
  }
  const validation = validators.response(httpCode, body);
  if (!validation.valid) throw new AccuAuthResponseError('not-as-specified', httpCode, validation.errors.map(redact));
  if (ok) return body as PredictGenderResponse;
  const error = body as ErrorResponse;
  throw apiErrorFor({ ...error, reason: redact(error.reason) });
}
