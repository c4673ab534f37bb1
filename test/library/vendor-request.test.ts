import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ANSWER_BYTES,
  OVERSIZED_EXCERPT_BYTES,
  sendToVendor,
  type VendorRequest,
} from '../../src/vendor/vendor-request.js';
import {
  type DriftedVendor,
  HUGE_BODY_BYTES,
  type RequestSink,
  startDriftedVendor,
  startRequestSink,
} from '../support/drifted-vendor.js';
import { rssGrowth } from '../support/process-memory.js';

/**
 * The one request every vendor caller of the kit sends through, against hostile stand-ins on loopback: it never
 * follows a redirect (the sink on another address hears nothing), reads at most the bound of a body however it is
 * encoded, and ends within its time bound even when the body never finishes.
 */
const SECRET = 'vendor-request-secret-5d1c9e';
const UNUSED_UPSTREAM = 'http://127.0.0.1:9';

let sink: RequestSink;
let redirecting: DriftedVendor;
let bomb: DriftedVendor;
let huge: DriftedVendor;
beforeAll(async () => {
  sink = await startRequestSink();
  redirecting = await startDriftedVendor({ upstream: UNUSED_UPSTREAM, kind: 'redirect', redirectTo: sink.url });
  bomb = await startDriftedVendor({ upstream: UNUSED_UPSTREAM, kind: 'gzip-bomb' });
  huge = await startDriftedVendor({ upstream: UNUSED_UPSTREAM, kind: 'huge-body' });
});
afterAll(async () => {
  await Promise.all([sink, redirecting, bomb, huge].map((server) => server?.close()));
});

function request(baseUrl: string, overrides: Partial<VendorRequest> = {}): VendorRequest {
  return {
    configuredBaseUrl: baseUrl,
    url: `${baseUrl}/face/predict_gender`,
    method: 'POST',
    headers: { 'x-df-api-id': 'id', 'x-df-api-secret': SECRET },
    body: 'image',
    timeoutMs: 10_000,
    maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
    ...overrides,
  };
}

describe('sendToVendor', () => {
  it('hands back a 307 as an answer, with its Location, and never sends the key to it', async () => {
    const answer = await sendToVendor(request(redirecting.url));
    expect(answer).toMatchObject({ kind: 'redirected', httpCode: 307, location: `${sink.url}/face/predict_gender` });
    expect(sink.received).toEqual([]);
  });

  it('stops a gzip bomb at the decoded bound: too-large, and the process grows by far less than the bomb', async () => {
    const { result, growth } = await rssGrowth(() => sendToVendor(request(bomb.url)));
    expect(result).toMatchObject({ kind: 'too-large', httpCode: 200, limit: DEFAULT_MAX_ANSWER_BYTES });
    // The bomb decodes to 512 MiB; read whole it would cost at least that. The bound leaves room for GC noise.
    expect(growth).toBeLessThan(96 * 1024 * 1024);
  });

  it('reads a 10 MB body only up to the bound and keeps a short excerpt of it', async () => {
    const answer = await sendToVendor(request(huge.url, { maxAnswerBytes: 64 * 1024 }));
    expect(answer.kind).toBe('too-large');
    if (answer.kind !== 'too-large') return;
    expect(answer.limit).toBe(64 * 1024);
    expect(answer.excerpt.length).toBeLessThanOrEqual(OVERSIZED_EXCERPT_BYTES);
    expect(answer.excerpt).toMatch(/^\{"status":"OK"/);
    expect(HUGE_BODY_BYTES).toBeGreaterThan(answer.limit);
  });

  it('reads an answer at the bound whole', async () => {
    const answer = await sendToVendor(request(huge.url, { maxAnswerBytes: HUGE_BODY_BYTES + 1000 }));
    expect(answer.kind).toBe('answered');
    if (answer.kind === 'answered') expect(answer.text.length).toBeGreaterThan(HUGE_BODY_BYTES);
  });

  it('bounds the whole exchange in time: headers sent, then a body that never ends, is a timeout', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answer = await sendToVendor(request(url, { timeoutMs: 300 }));
      expect(answer).toMatchObject({ kind: 'no-answer', cause: 'timeout' });
      if (answer.kind === 'no-answer')
        expect(answer.message).toBe(`no answer from ${url}/face/predict_gender within 300 ms`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses to send credentials off the configured origin', async () => {
    await expect(sendToVendor(request(redirecting.url, { url: `${sink.url}/face/predict_gender` }))).rejects.toThrow(
      `refusing to send credentials to ${sink.url}: the configured vendor origin is ${redirecting.url}`,
    );
    expect(sink.received).toEqual([]);
  });
});
