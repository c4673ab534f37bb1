import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { ANY_STATUS, type Expected, expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_SECRET } from '../support/predict-request.js';
import { postHead, rawRequest } from '../support/raw-http.js';

// Header abuse. Some of it never reaches Express: Node's HTTP parser answers oversized headers (431) and
// unparseable heads (400) itself, with an empty body, unless the server handles 'clientError'. The rule does not
// change for that: every answer is a documented HTTP code with the documented JSON body.
const image = makeJpeg({ width: 160, height: 160, seed: 21 });
const body = fileUploadBody(image);

const mock = useMock();

/** Sends the upload with exactly these header lines (names cased as written) over a raw socket. */
async function sendWithHeaders(headers: Record<string, string | number>, expected: Expected) {
  const exchange = await rawRequest({
    url: mock.url,
    head: postHead(PREDICT_GENDER_PATH, {
      'Content-Type': multipartContentType(),
      ...headers,
      'Content-Length': body.length,
    }),
    chunks: [body],
    timeoutMs: 5000,
  });
  expect(exchange.answer, `no answer; connection ${exchange.ending}`).toBeDefined();
  return exchange.answer ? expectAnswer(exchange.answer, expected) : undefined;
}

describe('credential headers', () => {
  it.each([
    ['x-df-api-id', 'x-df-api-secret'],
    ['X-DF-API-ID', 'X-DF-API-SECRET'],
    ['X-Df-Api-Id', 'X-Df-Api-Secret'],
    ['x-DF-api-ID', 'X-df-API-secret'],
  ])('accepts %s / %s (header names are case-insensitive)', async (id, secret) => {
    await sendWithHeaders({ [id]: 'casing-id', [secret]: TEST_SECRET }, 'OK');
  });

  it.each([
    ['no credentials', {}],
    ['only the id', { 'X-DF-API-ID': 'only-id' }],
    ['only the secret', { 'X-DF-API-SECRET': TEST_SECRET }],
    ['an empty id', { 'X-DF-API-ID': '', 'X-DF-API-SECRET': TEST_SECRET }],
    ['an empty secret', { 'X-DF-API-ID': 'id', 'X-DF-API-SECRET': '' }],
  ])('answers %s with UNAUTHORIZED and never echoes the secret', async (_name, headers) => {
    await sendWithHeaders(headers, 'UNAUTHORIZED');
  });

  it('never echoes a long secret full of odd characters', async () => {
    const secret = `${TEST_SECRET}-${'s3cr3t!"<>&%'.repeat(300)}`;
    const answer = await callPredict(mock.url, {
      body: 'not multipart',
      headers: { 'X-DF-API-ID': 'id', 'X-DF-API-SECRET': secret, 'content-type': 'text/plain' },
    });
    expectAnswer(answer, 'INVALID_ARGUMENT', { secrets: [secret] });
  });
});

describe('header abuse', () => {
  it('answers 500 extra headers (under the size limit) normally', async () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`X-H${i}`, '1']));
    await sendWithHeaders({ ...many, 'X-DF-API-ID': 'id', 'X-DF-API-SECRET': TEST_SECRET }, 'OK');
  });

  it('answers 1500 extra headers with a documented answer', async () => {
    // Node keeps only the first headers of a request (maxHeadersCount) and drops the rest silently, so the
    // credentials sent after them are not seen: the documented UNAUTHORIZED, not a crash or a bare error.
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`X-H${i}`, '1']));
    await sendWithHeaders({ ...many, 'X-DF-API-ID': 'id', 'X-DF-API-SECRET': TEST_SECRET }, [
      'OK',
      'UNAUTHORIZED',
      'INVALID_ARGUMENT',
    ]);
  });

  it('answers oversized headers (a 20 KB header) with the documented JSON, not a bare 431', async () => {
    await sendWithHeaders(
      { 'X-DF-API-ID': 'id', 'X-DF-API-SECRET': TEST_SECRET, 'X-Big': 'a'.repeat(20_000) },
      ANY_STATUS,
    );
  });

  it('answers an unparseable request head with the documented JSON, not a bare 400', async () => {
    const exchange = await rawRequest({ url: mock.url, head: 'GARBAGE\r\n\r\n', timeoutMs: 5000 });
    expect(exchange.answer, `no answer; connection ${exchange.ending}`).toBeDefined();
    if (exchange.answer) expectAnswer(exchange.answer, ANY_STATUS);
  });

  it('answers random extra headers and random Prefer values with documented answers (fast-check)', async () => {
    const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/);
    const value = fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((v) => v.trim());
    const prefer = fc.oneof(
      value,
      fc.constantFrom('example=', 'code=', 'code=999', 'code=abc', 'example=NOPE', 'example=OK_FEMALE', 'code=404'),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(token, value, { maxKeys: 20 }), prefer, async (extra, preferValue) => {
        const headers: Record<string, string> = { ...extra };
        for (const name of Object.keys(headers)) {
          // Keep the request itself valid: the property is about the extra headers.
          if (/^(content-|x-df-|transfer-|host$|connection$|expect$|prefer$)/i.test(name)) delete headers[name];
        }
        const answer = await callPredict(mock.url, {
          body,
          headers: {
            ...headers,
            prefer: preferValue,
            'content-type': multipartContentType(),
            'X-DF-API-ID': 'fuzz-id',
            'X-DF-API-SECRET': TEST_SECRET,
          },
        });
        // A Prefer naming no example is the mock's own 422 problem (never a vendor answer); anything else is documented.
        if (answer.httpCode === 422) {
          expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(answer.text)).toMatchObject({ status: 422, title: 'Prefer names no example of the spec' });
          expect(answer.text).not.toContain(TEST_SECRET);
        } else {
          expectAnswer(answer, ANY_STATUS);
        }
      }),
      { numRuns: 60 },
    );
  });
});
