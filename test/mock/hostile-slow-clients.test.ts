import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { postHead, type RawExchange, rawRequest } from '../support/raw-http.js';

// Slow and stalled clients: the mock must end them by itself (a CI job whose client hangs must not keep a
// connection and its buffers forever) and must keep answering everyone else meanwhile.
//
// How long is "by itself"? The vendor doc is silent. Node's own defaults (headersTimeout 60 s, requestTimeout
// 300 s, checked every 30 s by connectionsCheckingInterval) would hold a stalled client for up to 5.5 minutes;
// the mock's defaults are 5 s and 10 s. The second test shortens them through `clientTimeouts` so that it ends in
// about a second, and gives its clients SLOW_CLIENT_DEADLINE_MS before they give up by themselves: an outcome
// (who ended the connection), not a measure of time.
const SLOW_CLIENT_DEADLINE_MS = 15_000;
const SHORT_TIMEOUTS = { headersMs: 300, requestMs: 600 };
const image = makeJpeg({ width: 160, height: 160, seed: 9 });
const body = fileUploadBody(image);
const headers = { ...TEST_CREDENTIALS, 'content-type': multipartContentType() };

const mock = useMock();
const impatient = useMock({ clientTimeouts: SHORT_TIMEOUTS });

/** A body that trickles one byte every `everyMs`, for far longer than the deadline. */
function* trickle(bytes: Buffer): Generator<Buffer> {
  for (const byte of bytes) yield Buffer.of(byte);
}

function expectEndedByServer(exchange: RawExchange, what: string) {
  expect(exchange.ending, `${what}: the server did not end it within ${SLOW_CLIENT_DEADLINE_MS} ms`).not.toBe(
    'timeout',
  );
  // If the server says something as it hangs up, it is the documented JSON, not Node's bare 408 or 400.
  if (exchange.answer) expectAnswer(exchange.answer, ANY_STATUS);
}

describe('slow clients', () => {
  it('keeps answering normal requests quickly while 20 clients trickle their bodies', async () => {
    let stalledEnded = 0;
    const stalled = Array.from({ length: 20 }, () =>
      rawRequest({
        url: mock.url,
        head: postHead(PREDICT_GENDER_PATH, { ...headers, 'Content-Length': body.length }),
        chunks: trickle(body),
        chunkDelayMs: 50,
        // They never finish (one byte per 50 ms of a body of kilobytes); they give up after this, long after the
        // five normal requests below, unless the server is blocked.
        timeoutMs: 5000,
      }).finally(() => {
        stalledEnded += 1;
      }),
    );
    await sleep(300);
    for (let i = 0; i < 5; i += 1) {
      const answer = await callPredict(mock.url, { body, headers });
      expectAnswer(answer, 'OK');
    }
    // Order, not time: the normal requests were answered while every trickling client was still sending. A server
    // blocked by the trickling clients would answer only after they had ended.
    expect(stalledEnded).toBe(0);
    await Promise.all(stalled);
  });

  it('ends clients that never finish their headers, their body, or trickle forever', async () => {
    const [headersNeverEnd, bodyNeverComes, trickling] = await Promise.all([
      rawRequest({
        url: impatient.url,
        head: `POST ${PREDICT_GENDER_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DF-API-ID: slow\r\n`,
        timeoutMs: SLOW_CLIENT_DEADLINE_MS,
        waitForClose: true,
      }),
      rawRequest({
        url: impatient.url,
        head: postHead(PREDICT_GENDER_PATH, { ...headers, 'Content-Length': body.length }),
        chunks: [body.subarray(0, 100)],
        timeoutMs: SLOW_CLIENT_DEADLINE_MS,
        waitForClose: true,
      }),
      rawRequest({
        url: impatient.url,
        head: postHead(PREDICT_GENDER_PATH, { ...headers, 'Content-Length': body.length }),
        chunks: trickle(body),
        chunkDelayMs: 200,
        timeoutMs: SLOW_CLIENT_DEADLINE_MS,
        waitForClose: true,
      }),
    ]);
    expect.soft(() => expectEndedByServer(headersNeverEnd, 'headers that never end')).not.toThrow();
    expect.soft(() => expectEndedByServer(bodyNeverComes, 'a body that never comes')).not.toThrow();
    expect.soft(() => expectEndedByServer(trickling, 'a body trickling a byte every 200 ms')).not.toThrow();
  });
});
