import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/client/retry-policy.js';
import {
  type AccuAuthApiError,
  AccuAuthBadRequestError,
  AccuAuthError,
  AccuAuthForbiddenError,
  AccuAuthInternalError,
  AccuAuthNetworkError,
  AccuAuthResponseError,
  AccuAuthTimeoutError,
  type ClientOptions,
  createClient,
} from '../../src/index.js';
import { namedExamples } from '../../src/spec/named-examples.js';

// A value no server, spec or fixture contains, so finding it anywhere means the client leaked it.
const SECRET = `sk-test-${process.pid}-do-not-leak`;
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** What the scripted server answers one request with. */
interface Scripted {
  status?: number;
  body?: string;
  contentType?: string;
  delayMs?: number;
  /** Cut the connection instead of answering. */
  destroy?: boolean;
}

interface Received {
  headers: IncomingMessage['headers'];
  form: FormData;
}

/** A loopback server that answers each request with the next scripted answer and records what it got. */
class ScriptedServer {
  readonly received: Received[] = [];
  private script: Scripted[] = [];
  private server: Server = createServer((request, response) => void this.handle(request, response));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  answer(...script: Scripted[]): void {
    this.script = script;
    this.received.length = 0;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    // Let undici's own multipart parser read the body, so the test does not trust a parser of its own.
    const parsed = new Request('http://parse.invalid/', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body: Buffer.concat(chunks),
    });
    this.received.push({ headers: request.headers, form: await parsed.formData() });
    const next = this.script.length > 1 ? this.script.shift() : this.script[0];
    const { status = 200, body = '', contentType = 'application/json', delayMs = 0, destroy = false } = next ?? {};
    if (delayMs > 0) await sleep(delayMs);
    if (destroy) {
      request.socket.destroy();
      return;
    }
    response.writeHead(status, { 'content-type': contentType }).end(body);
  }
}

function example(name: string): { status: number; body: string } {
  const found = namedExamples().get(name);
  if (!found) throw new Error(`the spec has no example ${name}`);
  return { status: found.httpCode, body: JSON.stringify(found.body) };
}

const server = new ScriptedServer();
const clientOf = (options: Partial<ClientOptions> = {}) =>
  createClient({ baseUrl: server.url, apiId: 'id-1', apiSecret: SECRET, timeoutMs: 5_000, ...options });

/** The rejection of a promise, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function expectNoSecret(value: unknown): void {
  const views = [String(value), JSON.stringify(value), inspect(value, { depth: 5, showHidden: true })];
  if (value instanceof Error) views.push(value.message, value.stack ?? '');
  for (const view of views) expect(view).not.toContain(SECRET);
}

beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => server.answer());

describe('what the client sends', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accuauth-client-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('posts a Buffer as the multipart `file` part with both credential headers and returns the answer', async () => {
    server.answer(example('OK'));
    const answer = await clientOf().predictGender({ file: Buffer.from(PNG_HEAD) });
    expect(answer).toEqual(JSON.parse(example('OK').body));
    const [received] = server.received;
    expect(received?.headers['x-df-api-id']).toBe('id-1');
    expect(received?.headers['x-df-api-secret']).toBe(SECRET);
    expect(received?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const part = received?.form.get('file') as File;
    expect(part.type).toBe('image/png');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG_HEAD);
    expect(received?.form.has('image_base64')).toBe(false);
  });

  it('reads a path, and takes a Uint8Array or a Blob, sending the same bytes', async () => {
    const path = join(dir, 'face.png');
    await writeFile(path, PNG_HEAD);
    server.answer(example('OK_FEMALE'));
    const client = clientOf();
    for (const file of [path, new Uint8Array(PNG_HEAD), new Blob([PNG_HEAD], { type: 'image/png' })]) {
      const answer = await client.predictGender({ file });
      expect(answer.result.gender).toBe('Female');
    }
    const parts = server.received.map((received) => received.form.get('file') as File);
    expect(parts[0]?.name).toBe('face.png');
    for (const part of parts) expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG_HEAD);
  });

  it('sends imageBase64 as the `image_base64` field, and the Prefer header when asked', async () => {
    server.answer(example('OK'));
    await clientOf().predictGender({ imageBase64: 'iVBORw0KGgo=' }, { prefer: 'code=200, example=OK' });
    const [received] = server.received;
    expect(received?.form.get('image_base64')).toBe('iVBORw0KGgo=');
    expect(received?.form.has('file')).toBe(false);
    expect(received?.headers.prefer).toBe('code=200, example=OK');
  });
});

describe('no image, no call', () => {
  // What a JavaScript caller (no types to stop it) can pass: each used to send the text `undefined`, a paid call.
  const noImages: [string, unknown, RegExp][] = [
    ['{}', {}, /no image given, got an empty object/],
    ['{ file: undefined }', { file: undefined }, /no image given, got only file \(undefined or unknown\)/],
    ['{ imageBase64: undefined }', { imageBase64: undefined }, /no image given/],
    ['{ imageBase64: "" }', { imageBase64: '' }, /imageBase64 is empty/],
    ['{ file: empty bytes }', { file: new Uint8Array(0) }, /file is empty/],
    ['{ file: 42 }', { file: 42 }, /file is a number, not an image/],
    ['{ image: bytes } (a misspelt field)', { image: PNG_HEAD }, /got only image/],
    ['undefined', undefined, /no image given \(undefined\)/],
  ];
  for (const [name, input, message] of noImages) {
    it(`${name} throws a TypeError naming what to pass, before any network call`, async () => {
      server.answer(example('OK'));
      const error = await rejectionOf(clientOf().predictGender(input as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(
        'pass { file: Buffer | Uint8Array | Blob | path } or { imageBase64: string }',
      );
      expect(server.received).toEqual([]);
    });
  }
});

describe('answers the spec does not allow', () => {
  it('a body that is not JSON is an AccuAuthResponseError (not-json)', async () => {
    server.answer({ status: 200, body: '<html>gateway</html>', contentType: 'text/html' });
    const error = await rejectionOf(clientOf().predictGender({ file: PNG_HEAD }));
    expect(error).toBeInstanceOf(AccuAuthResponseError);
    expect(error).toMatchObject({ problem: 'not-json', httpCode: 200 });
  });

  it('an HTTP code the spec does not document is an AccuAuthResponseError (undocumented-code)', async () => {
    server.answer({ status: 429, body: '{"status":"RATE_LIMIT_EXCEEDED"}' });
    const error = await rejectionOf(clientOf().predictGender({ file: PNG_HEAD }));
    expect(error).toMatchObject({ name: 'AccuAuthResponseError', problem: 'undocumented-code', httpCode: 429 });
  });

  it('a body off its schema (an undocumented field, or a status under the wrong code) is not-as-specified', async () => {
    const ok = JSON.parse(example('OK').body) as Record<string, unknown>;
    server.answer(
      { status: 200, body: JSON.stringify({ ...ok, extra: 1 }) },
      { status: 403, body: JSON.stringify({ ...JSON.parse(example('INVALID_ARGUMENT').body) }) },
    );
    const client = clientOf();
    for (const httpCode of [200, 403]) {
      const error = await rejectionOf(client.predictGender({ file: PNG_HEAD }));
      expect(error).toBeInstanceOf(AccuAuthResponseError);
      expect(error).toMatchObject({ problem: 'not-as-specified', httpCode });
      expect((error as AccuAuthResponseError).details.length).toBeGreaterThan(0);
    }
  });
});

describe('timeouts and network failures', () => {
  it('an answer slower than timeoutMs is an AccuAuthTimeoutError, promptly', async () => {
    // The server would answer OK after 3 s: a client that did not time out would resolve, not reject.
    server.answer({ ...example('OK'), delayMs: 3_000 });
    const error = await rejectionOf(clientOf({ timeoutMs: 200 }).predictGender({ file: PNG_HEAD }));
    expect(error).toBeInstanceOf(AccuAuthTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
  });

  it('a refused connection is an AccuAuthNetworkError naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, apiId: 'id-1', apiSecret: SECRET });
    const error = await rejectionOf(client.predictGender({ file: PNG_HEAD }));
    expect(error).toBeInstanceOf(AccuAuthNetworkError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('a connection cut before the answer is an AccuAuthNetworkError', async () => {
    server.answer({ destroy: true });
    const error = await rejectionOf(clientOf().predictGender({ file: PNG_HEAD }));
    expect(error).toBeInstanceOf(AccuAuthNetworkError);
  });

  it("the caller's abort rejects with the signal's reason, not a client error", async () => {
    server.answer({ ...example('OK'), delayMs: 3_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    const error = await rejectionOf(clientOf().predictGender({ file: PNG_HEAD }, { signal: controller.signal }));
    expect(error).not.toBeInstanceOf(AccuAuthError);
    expect((error as Error).message).toBe('caller gave up');
  });
});

describe('retries', () => {
  const retry = { retries: 2, minDelayMs: 10, maxDelayMs: 40 };

  it('RATE_LIMIT_EXCEEDED and INTERNAL_ERROR are retried until the call succeeds', async () => {
    server.answer(example('RATE_LIMIT_EXCEEDED'), example('INTERNAL_ERROR'), example('OK'));
    const answer = await clientOf({ retry }).predictGender({ file: PNG_HEAD });
    expect(answer.status).toBe('OK');
    expect(server.received).toHaveLength(3);
  });

  it('gives up after `retries` retries with the last error', async () => {
    server.answer(example('INTERNAL_ERROR'));
    const error = await rejectionOf(clientOf({ retry }).predictGender({ file: PNG_HEAD }));
    expect(error).toBeInstanceOf(AccuAuthInternalError);
    expect(server.received).toHaveLength(1 + retry.retries);
  });

  it('other errors, OUT_OF_QUOTA included, are not retried; without `retry` nothing is', async () => {
    server.answer(example('OUT_OF_QUOTA'));
    const error = await rejectionOf(clientOf({ retry }).predictGender({ file: PNG_HEAD }));
    expect(error).toMatchObject({ status: 'OUT_OF_QUOTA' });
    expect(server.received).toHaveLength(1);
    server.answer(example('RATE_LIMIT_EXCEEDED'));
    await expect(clientOf().predictGender({ file: PNG_HEAD })).rejects.toBeInstanceOf(AccuAuthForbiddenError);
    expect(server.received).toHaveLength(1);
  });

  it('an abort during the backoff wait ends the call at once', async () => {
    server.answer(example('RATE_LIMIT_EXCEEDED'));
    const controller = new AbortController();
    const slow = { retries: 3, minDelayMs: 10_000, maxDelayMs: 10_000 };
    const call = clientOf({ retry: slow }).predictGender({ file: PNG_HEAD }, { signal: controller.signal });
    // The backoff waits 10 s, longer than the test's own timeout: only the abort can end the call in time.
    setTimeout(() => controller.abort(new Error('stop retrying')), 200);
    const error = await rejectionOf(call);
    expect((error as Error).message).toBe('stop retrying');
    expect(server.received).toHaveLength(1);
  });

  it('the backoff doubles from minDelayMs, is capped by maxDelayMs, and jitters within its upper half', () => {
    const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('refuses nonsensical retry options', () => {
    expect(() => clientOf({ retry: { retries: -1, minDelayMs: 0, maxDelayMs: 0 } })).toThrow(/retries/);
    expect(() => clientOf({ retry: { retries: 1, minDelayMs: 50, maxDelayMs: 10 } })).toThrow(/maxDelayMs/);
  });
});

describe('the secret stays secret', () => {
  it('is in no error: not in message, toString, toJSON, inspect or stack, even when the server echoes it', async () => {
    const echo = {
      status: 400,
      body: JSON.stringify({ ...JSON.parse(example('DETECTION_FAILED').body), reason: `bad key ${SECRET}` }),
    };
    server.answer(
      echo,
      { status: 502, body: `proxy saw X-DF-API-SECRET: ${SECRET}` },
      { ...example('OK'), delayMs: 2_000 },
    );
    const client = clientOf({ timeoutMs: 300 });
    const apiError = await rejectionOf(client.predictGender({ file: PNG_HEAD }));
    expect(apiError).toBeInstanceOf(AccuAuthBadRequestError);
    expect((apiError as AccuAuthApiError).reason).toBe('bad key [REDACTED]');
    const responseError = await rejectionOf(client.predictGender({ file: PNG_HEAD }));
    expect(responseError).toBeInstanceOf(AccuAuthResponseError);
    const timeoutError = await rejectionOf(client.predictGender({ file: PNG_HEAD }));
    expect(timeoutError).toBeInstanceOf(AccuAuthTimeoutError);
    const offline = createClient({ baseUrl: 'http://127.0.0.1:1', apiId: 'id-1', apiSecret: SECRET });
    const networkError = await rejectionOf(offline.predictGender({ file: PNG_HEAD }));
    expect(networkError).toBeInstanceOf(AccuAuthNetworkError);
    for (const error of [apiError, responseError, timeoutError, networkError]) expectNoSecret(error);
  });

  it('is in no view of the client', () => {
    const client = clientOf();
    expectNoSecret(client);
    expect(JSON.stringify(client)).toContain('[REDACTED]');
    expect(inspect(client)).toContain(server.url);
  });

  it('missing credentials are refused at creation, without echoing the other one', () => {
    expect(() => createClient({ apiId: '', apiSecret: SECRET })).toThrow(/apiId/);
    expect(() => createClient({ apiId: '', apiSecret: SECRET })).not.toThrow(new RegExp(SECRET));
    expect(() => createClient({ apiId: 'id-1', apiSecret: '' })).toThrow(/apiSecret/);
  });
});
