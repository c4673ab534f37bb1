import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';

/**
 * The credentials every test sends unless it names others: the default mock accepts any non-empty pair. The secret
 * is distinctive so that the never-echo-a-secret check in `expectAnswer` cannot miss it or match it by accident.
 */
export const TEST_SECRET = 'test-secret-3f9c1e7a5b';
export const TEST_CREDENTIALS = { 'X-DF-API-ID': 'test-id', 'X-DF-API-SECRET': TEST_SECRET } as const;

/** An HTTP answer as it came, whether from fetch or from a raw socket (test/support/raw-http.ts). */
export interface Answer {
  httpCode: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
}

export interface PredictCall {
  file?: Uint8Array;
  imageBase64?: string;
  /** Send image_base64 as application/x-www-form-urlencoded instead of multipart. */
  urlencoded?: boolean;
  /** A raw body instead of the fields above (with its content-type in `headers`). */
  body?: BodyInit | Buffer;
  /** Sent after the credentials; a header named here replaces a credential header of the same name. */
  headers?: Record<string, string>;
  /** false: send no credential headers. Default TEST_CREDENTIALS. */
  credentials?: Record<string, string> | false;
  path?: string;
  method?: string;
}

function bodyOf(call: PredictCall): BodyInit | undefined {
  // A copy as Uint8Array: fetch's types refuse a Buffer that might sit on a SharedArrayBuffer.
  if (Buffer.isBuffer(call.body)) return new Uint8Array(call.body);
  if (call.body !== undefined) return call.body as BodyInit;
  if (call.urlencoded) return new URLSearchParams({ image_base64: call.imageBase64 ?? '' });
  if (!call.file && call.imageBase64 === undefined) return undefined;
  const form = new FormData();
  if (call.file) form.append('file', new Blob([call.file as Uint8Array<ArrayBuffer>]), 'face.jpg');
  if (call.imageBase64 !== undefined) form.append('image_base64', call.imageBase64);
  return form;
}

/**
 * One call of the endpoint (or `path`) over real HTTP with Node's fetch/FormData/Blob, like a client would make it.
 * It assumes nothing about the answer and reads it whole as text, so a test can judge a non-JSON or undocumented
 * answer with `expectAnswer` (documented-answer.ts) instead of failing in JSON.parse.
 */
export async function callPredict(baseUrl: string, call: PredictCall = {}): Promise<Answer> {
  const headers = new Headers(call.credentials === false ? {} : (call.credentials ?? TEST_CREDENTIALS));
  for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);
  const body = bodyOf(call);
  const response = await fetch(`${baseUrl}${call.path ?? PREDICT_GENDER_PATH}`, {
    method: call.method ?? 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return readAnswer(response);
}

/** Reads a fetch Response whole into an Answer. */
async function readAnswer(response: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { httpCode: response.status, headers, text: await response.text() };
}
