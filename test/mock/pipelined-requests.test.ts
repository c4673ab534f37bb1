import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { bodyLimits } from '../../mock/core/body-limits.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { pipelinedRequests, postHead, rawRequest, uploadHead } from '../support/raw-http.js';

// One connection, several requests: pipelined (written back to back before any answer) or kept alive (one after
// the other). Every request that arrived whole gets its answer, in order, before the connection answers a
// malformed one that follows; an early answer on a reused connection is followed by the same lingering close as
// on a fresh one; and the connection's keep-alive bound is advertised.
const mock = useMock();
const upload = fileUploadBody(makeJpeg({ width: 160, height: 160, seed: 5 }));
const validRequest = Buffer.concat([Buffer.from(uploadHead(upload), 'latin1'), upload]);
const { fileBytes } = bodyLimits(specDecisionProfile());

describe('pipelined requests', () => {
  it('answers three valid uploads 200, 200, 200, then the garbage line after them 400, and journals the four in order', async () => {
    const { answers } = await pipelinedRequests(
      mock.url,
      Buffer.concat([validRequest, validRequest, validRequest, Buffer.from('GARBAGE LINE\r\n\r\n')]),
    );
    expect(answers.map((answer) => answer.httpCode)).toEqual([200, 200, 200, 400]);
    for (const answer of answers.slice(0, 3)) expectAnswer(answer, 'OK');
    expectAnswer(answers[3] ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
    const journal = await mock.running.journal.list();
    expect(journal.requests.map((entry) => (entry.answer as { status?: string }).status)).toEqual([
      'OK',
      'OK',
      'OK',
      'INVALID_ARGUMENT',
    ]);
    expect(journal.requests[3]?.diagnosis?.code).toBe('malformed-http');
  });

  it('answers a valid upload before the 400 for a header over 16 KB that follows it', async () => {
    const oversizedHead = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
    const { answers } = await pipelinedRequests(
      mock.url,
      Buffer.concat([validRequest, Buffer.from(oversizedHead, 'latin1')]),
    );
    expect(answers.map((answer) => answer.httpCode)).toEqual([200, 400]);
    expectAnswer(answers[0] ?? { httpCode: 0, headers: {}, text: '' }, 'OK');
    expect(answers[1]?.text).toContain('request headers are larger than');
  });
});

describe('kept-alive connections', () => {
  it('advertises its keep-alive bound', async () => {
    const answer = await callPredict(mock.url, { body: upload, headers: { 'content-type': multipartContentType() } });
    expect(answer.headers['keep-alive']).toBe('timeout=60');
  });

  it('answers an oversized upload 400 on a connection that carried ordinary ones (undici, node:http)', async () => {
    const oversized = fileUploadBody(Buffer.alloc(fileBytes + 1024 * 1024, 0x5a));
    const headers = { ...TEST_CREDENTIALS, 'content-type': multipartContentType() };
    // undici: one connection, kept alive, for every request.
    const client = new Client(mock.url, { pipelining: 1 });
    try {
      for (let i = 0; i < 5; i += 1) {
        const ordinary = await client.request({ method: 'POST', path: PREDICT_GENDER_PATH, headers, body: upload });
        expect(ordinary.statusCode).toBe(200);
        await ordinary.body.text();
      }
      const refused = await client.request({ method: 'POST', path: PREDICT_GENDER_PATH, headers, body: oversized });
      expect(refused.statusCode).toBe(400);
      expect(await refused.body.text()).toContain('INVALID_ARGUMENT');
    } finally {
      await client.close();
    }
    // node:http with a keep-alive agent of one socket.
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const body of [upload, upload, upload, oversized]) {
        const code = await new Promise<number>((resolve, reject) => {
          const request = httpRequest(
            `${mock.url}${PREDICT_GENDER_PATH}`,
            { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          request.on('error', reject);
          request.end(body);
        });
        expect(code).toBe(body === oversized ? 400 : 200);
      }
    } finally {
      agent.destroy();
    }
  });
});

describe('Expect: 100-continue', () => {
  const expecting = (credentials: Record<string, string>) =>
    postHead(PREDICT_GENDER_PATH, {
      ...credentials,
      'Content-Type': multipartContentType(),
      'Content-Length': upload.length,
      Expect: '100-continue',
    });

  it('answers a request refused from its headers alone 401, without a 100 Continue first', async () => {
    const exchange = await rawRequest({ url: mock.url, head: expecting({}), timeoutMs: 5000 });
    expect(exchange.answer?.httpCode).toBe(401);
  });

  it('sends 100 Continue to an accepted request, then answers its body', async () => {
    const exchange = await rawRequest({ url: mock.url, head: expecting(TEST_CREDENTIALS), timeoutMs: 5000 });
    // The raw client sends nothing more: the mock said to go on and now waits for the body.
    expect(exchange.answer?.httpCode).toBe(100);
    const answer = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${mock.url}${PREDICT_GENDER_PATH}`, {
        method: 'POST',
        headers: {
          ...TEST_CREDENTIALS,
          'content-type': multipartContentType(),
          'content-length': upload.length,
          expect: '100-continue',
        },
      });
      request.on('continue', () => request.end(upload));
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    expect(answer).toBe(200);
  });
});
