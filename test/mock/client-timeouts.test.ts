import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { fileUploadBody } from '../support/multipart-body.js';
import { rawRequest, uploadHead } from '../support/raw-http.js';

// The documented client timeouts, at their defaults: headers within 5 s of the request's start, the body within
// 10 s of the mock starting to read it. Node checks its own timeouts on an interval, which once made them fire
// seconds late; they must fire within half a second of the documented time. One test for both (they run side by
// side), since it has to wait the full 10 s; shorter timeouts are exercised in hostile-slow-clients.test.ts.
const TOLERANCE_MS = 500;
const mock = useMock();
const upload = fileUploadBody(makeJpeg({ width: 160, height: 160, seed: 8 }));

describe('documented client timeouts', () => {
  it('answers headers that stop after 5 s, and a body that stops after 10 s, each within 0.5 s', async () => {
    const [headers, body] = await Promise.all([
      rawRequest({
        url: mock.url,
        head: `POST ${PREDICT_GENDER_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-DF-API-ID: slow\r\n`,
        timeoutMs: 20_000,
      }),
      rawRequest({
        url: mock.url,
        head: uploadHead(upload),
        chunks: [upload.subarray(0, 300)],
        timeoutMs: 20_000,
      }),
    ]);
    expectAnswer(headers.answer ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
    expect(headers.answer?.text).toContain('headers did not arrive within 5 s');
    expect(headers.answerMs).toBeGreaterThan(5000 - 50);
    expect(headers.answerMs).toBeLessThan(5000 + TOLERANCE_MS);
    expectAnswer(body.answer ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
    expect(body.answer?.text).toContain('did not arrive whole within 10 s');
    expect(body.answerMs).toBeGreaterThan(10_000 - 50);
    expect(body.answerMs).toBeLessThan(10_000 + TOLERANCE_MS);
  }, 30_000);
});
