import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, startMockProcess } from '../support/mock-process.js';
import { FIXED_BOUNDARY, fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { processMemory, watchPeakRss } from '../support/process-memory.js';
import { postHead, rawRequest } from '../support/raw-http.js';

// A 50 MB upload against the spec's 5 MiB limit. The mock runs as its own process (the built CLI, as users run
// it) so that its memory can be read from /proc apart from the test runner's: the upload must be cut off as it
// streams, answered with the documented 400 before the client has finished sending, and never buffered whole.
const { maxBytes } = imageConstraints();
const TOTAL = 50 * 1024 * 1024;
let mock: MockProcess;

beforeAll(async () => {
  mock = await startMockProcess();
});
afterAll(async () => {
  await mock?.stop();
});

/** The head and the 50 MB body of a `file` upload, as chunks generated on the fly (never 50 MB in memory). */
function* fiftyMegabyteUpload(chunkSize: number): Generator<Buffer> {
  const opening = Buffer.from(
    `--${FIXED_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n',
    'latin1',
  );
  yield Buffer.concat([opening, Buffer.from([0xff, 0xd8, 0xff, 0xe0])]);
  const filler = Buffer.alloc(chunkSize, 0x5a);
  for (let sent = 0; sent < TOTAL; sent += chunkSize) yield filler;
  yield Buffer.from(`\r\n--${FIXED_BOUNDARY}--\r\n`, 'latin1');
}

const head = (length: number) =>
  postHead(PREDICT_GENDER_PATH, {
    ...TEST_CREDENTIALS,
    'Content-Type': multipartContentType(),
    'Content-Length': length,
  });
const uploadLength = [...fiftyMegabyteUpload(1024 * 1024)].reduce((n, chunk) => n + chunk.length, 0);

async function expectCutOff(chunkSize: number, chunkDelayMs: number) {
  const before = processMemory(mock.pid)?.rss ?? 0;
  const rss = watchPeakRss(mock.pid, 10);
  const exchange = await rawRequest({
    url: mock.url,
    head: head(uploadLength),
    chunks: fiftyMegabyteUpload(chunkSize),
    chunkDelayMs,
    waitForClose: true,
    // Half the upload without an answer already fails the test below; sending the rest would only cost time.
    giveUpAfterBytes: uploadLength / 2,
    timeoutMs: 20_000,
  });
  const peak = rss.stop();
  expect(
    exchange.answer,
    `no answer after ${exchange.bytesSent} of ${uploadLength} bytes sent; connection ${exchange.ending}`,
  ).toBeDefined();
  if (!exchange.answer) return;
  expectAnswer(exchange.answer, 'INVALID_ARGUMENT');
  // Answered once the limit was passed, long before the 50 MB were sent.
  // Soft: each of the three properties below is reported on its own when the mock misses it.
  expect
    .soft(exchange.bytesSentAtAnswer ?? Number.POSITIVE_INFINITY, 'bytes sent when the answer arrived')
    .toBeLessThan(uploadLength / 2);
  expect(exchange.bytesSentAtAnswer ?? 0).toBeGreaterThan(maxBytes);
  // Closed by the server once it has answered: it does not wait for (or read) the other 45 MB.
  expect.soft(exchange.ending, 'how the connection ended').not.toBe('timeout');
  // Bounded memory: the mock may hold one image (maxBytes), multer's copy of it when it concatenates the chunks,
  // and parser and socket buffers; 6 x maxBytes (30 MiB) leaves room for GC lag and is still well below the upload.
  expect.soft(peak - before, `RSS grew from ${before} to ${peak} bytes`).toBeLessThan(6 * maxBytes);
}

describe('a 50 MB upload', () => {
  it('streamed fast is answered 400 INVALID_ARGUMENT early, closed, and not buffered', async () => {
    await expectCutOff(256 * 1024, 0);
  });

  it('streamed slowly is answered 400 INVALID_ARGUMENT as soon as the limit is passed', async () => {
    await expectCutOff(128 * 1024, 4);
  });

  it('as image_base64 text is refused early too', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    function* base64Upload(): Generator<Buffer> {
      yield Buffer.from(`--${FIXED_BOUNDARY}\r\nContent-Disposition: form-data; name="image_base64"\r\n\r\n`);
      for (let sent = 0; sent < TOTAL; sent += chunk.length) yield chunk;
      yield Buffer.from(`\r\n--${FIXED_BOUNDARY}--\r\n`);
    }
    const length = [...base64Upload()].reduce((n, c) => n + c.length, 0);
    const exchange = await rawRequest({
      url: mock.url,
      head: head(length),
      chunks: base64Upload(),
      waitForClose: true,
      giveUpAfterBytes: length / 2,
      timeoutMs: 20_000,
    });
    expect(exchange.answer, `no answer after ${exchange.bytesSent} of ${length} bytes sent`).toBeDefined();
    if (exchange.answer) expectAnswer(exchange.answer, 'INVALID_ARGUMENT');
    expect(exchange.bytesSentAtAnswer ?? Number.POSITIVE_INFINITY, 'bytes sent when the answer arrived').toBeLessThan(
      length / 2,
    );
  });

  it('leaves the mock serving normal requests', async () => {
    const image = makeJpeg({ width: 160, height: 160, seed: 5 });
    const answer = await callPredict(mock.url, {
      body: fileUploadBody(image),
      headers: { ...TEST_CREDENTIALS, 'content-type': multipartContentType() },
    });
    expectAnswer(answer, 'OK');
  });
});
