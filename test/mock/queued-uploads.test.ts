import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearLimitJpeg } from '../../bench/bench-images.js';
import { type RunningMock, startMock } from '../../mock/index.js';
import { expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, startMockProcess } from '../support/mock-process.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';
import { watchPeakRss } from '../support/process-memory.js';
import { rawRequest, uploadHead } from '../support/raw-http.js';
import { uploadBurst } from '../support/upload-burst.js';

// Bodies over 1 MiB are read two at a time; the others wait, unread, in their sockets. The wait is the mock's:
// a client that sends at full speed must never be refused because its body waited for a slot.
const upload = fileUploadBody(nearLimitJpeg());
const CLIENTS = 40;
/** The benchmark's bound for 200 clients is 250 MiB (npm run bench); 40 clients hold far less. */
const PEAK_RSS_BOUND = 250 * 1024 * 1024;

describe('valid 5 MiB uploads arriving all at once', () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMockProcess();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it(`answers ${CLIENTS} concurrent uploads from Node's fetch 200 OK, every one`, async () => {
    const rss = watchPeakRss(mock.pid);
    const figures = await uploadBurst(mock.url, upload, CLIENTS);
    const peak = rss.stop();
    expect(figures.byStatus, JSON.stringify(figures.reasons)).toEqual({ 200: CLIENTS });
    expect(peak).toBeLessThan(PEAK_RSS_BOUND);
  }, 60_000);
});

describe('the whole-request clock', () => {
  let mock: RunningMock;
  // Short enough that the queue below lasts several times the request timeout.
  const requestMs = 800;
  beforeAll(async () => {
    mock = await startMock({ port: 0, clientTimeouts: { headersMs: 800, requestMs } });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('does not count the time a body waits for a read slot, and still ends the clients that hold one', async () => {
    // Four clients declare a 5 MiB body and send a few bytes of it: two hold the read slots until their clock
    // runs out, then the other two take them and run out in turn. Meanwhile a full-speed upload waits behind them
    // for about twice the request timeout.
    const holders = Array.from({ length: 4 }, () =>
      rawRequest({
        url: mock.url,
        head: uploadHead(upload),
        chunks: [upload.subarray(0, 1000)],
        timeoutMs: 15_000,
        waitForClose: true,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const queued = await callPredict(mock.url, {
      body: upload,
      headers: { 'content-type': multipartContentType() },
    });
    const waitedMs = performance.now() - started;
    expectAnswer(queued, 'OK');
    // It did wait: the outcome above is not the case of a queue that happened to be empty.
    expect(waitedMs).toBeGreaterThan(requestMs);
    for (const holder of await Promise.all(holders)) {
      expect(holder.ending).not.toBe('timeout');
      expectAnswer(holder.answer ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
      expect(holder.answer?.text).toContain(`did not arrive whole within ${requestMs / 1000} s`);
    }
  }, 30_000);
});
