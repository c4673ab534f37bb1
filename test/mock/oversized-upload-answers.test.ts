import { request as httpRequest } from 'node:http';
import { Agent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimits } from '../../mock/core/body-limits.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, startMockProcess } from '../support/mock-process.js';
import { multipartBody, multipartContentType } from '../support/multipart-body.js';
import { type Answer, callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { postHead, rawRequest } from '../support/raw-http.js';

// An upload over a limit is answered before the client has finished sending it. If the mock then closed
// the connection with the rest of the upload unread, the kernel would reset it, and a client that had not yet read
// the answer (Node's fetch / undici, which write the whole body first) would lose it: `TypeError: fetch failed`
// in a few per cent of tries. Every try here is a fresh connection, from four clients that send the whole body
// before reading: fetch + FormData, undici.request, node:http, and a raw socket. Every one must get the documented
// 400 JSON.
const { fileBytes, base64FieldBytes, urlencodedBytes } = bodyLimits(specDecisionProfile());
/** Tries in flight at once: enough to keep both cores busy, few enough to keep the mock's large-body slots turning. */
const PARALLEL = 4;
let mock: MockProcess;

beforeAll(async () => {
  mock = await startMockProcess();
});
afterAll(async () => {
  await mock?.stop();
});

interface Oversized {
  name: string;
  contentType: string;
  body: Buffer;
  /** The same upload as FormData, as a TypeScript team would build it. */
  form: () => FormData | URLSearchParams;
  tries: number;
}

const overFile = Buffer.alloc(fileBytes + 1024 * 1024, 0x5a);
overFile.set([0xff, 0xd8, 0xff, 0xe0]);
const overBase64 = 'A'.repeat(base64FieldBytes + 64 * 1024);
const urlencodedText = `image_base64=${'A'.repeat(urlencodedBytes + 64 * 1024)}`;

const cases: Oversized[] = [
  {
    name: 'a multipart `file` over 5 MiB',
    contentType: multipartContentType(),
    body: multipartBody([{ name: 'file', value: overFile, filename: 'big.jpg', contentType: 'image/jpeg' }]),
    form: () => {
      const form = new FormData();
      form.append('file', new Blob([overFile], { type: 'image/jpeg' }), 'big.jpg');
      return form;
    },
    tries: 80,
  },
  {
    name: 'a multipart `image_base64` over its limit',
    contentType: multipartContentType(),
    body: multipartBody([{ name: 'image_base64', value: overBase64 }]),
    form: () => {
      const form = new FormData();
      form.append('image_base64', overBase64);
      return form;
    },
    tries: 20,
  },
  {
    name: 'a multipart body over its limit (both fields at their largest and more)',
    contentType: multipartContentType(),
    body: multipartBody([
      { name: 'file', value: overFile.subarray(0, fileBytes), filename: 'big.jpg', contentType: 'image/jpeg' },
      { name: 'image_base64', value: overBase64.slice(0, base64FieldBytes) },
      { name: 'padding', value: 'B'.repeat(1024 * 1024) },
    ]),
    form: () => {
      const form = new FormData();
      form.append('file', new Blob([overFile.subarray(0, fileBytes)], { type: 'image/jpeg' }), 'big.jpg');
      form.append('image_base64', overBase64.slice(0, base64FieldBytes));
      form.append('padding', 'B'.repeat(1024 * 1024));
      return form;
    },
    tries: 10,
  },
  {
    name: 'an urlencoded body over its limit',
    contentType: 'application/x-www-form-urlencoded',
    body: Buffer.from(urlencodedText, 'latin1'),
    form: () => new URLSearchParams({ image_base64: urlencodedText.slice('image_base64='.length) }),
    tries: 8,
  },
];

type Client = (upload: Oversized) => Promise<Answer>;

const clients: Record<string, Client> = {
  'fetch + FormData': async (upload) => {
    return callPredict(mock.url, { body: upload.form() });
  },
  'undici.request': async (upload) => {
    // A dispatcher of its own per try, so each upload goes over a fresh connection like the other clients'.
    const dispatcher = new Agent({ pipelining: 0 });
    try {
      const response = await undiciRequest(`${mock.url}${PREDICT_GENDER_PATH}`, {
        method: 'POST',
        dispatcher,
        headers: { ...TEST_CREDENTIALS, 'content-type': upload.contentType },
        body: upload.body,
      });
      return {
        httpCode: response.statusCode,
        headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
        text: await response.body.text(),
      };
    } finally {
      await dispatcher.close();
    }
  },
  'node:http': (upload) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        `${mock.url}${PREDICT_GENDER_PATH}`,
        {
          method: 'POST',
          agent: false,
          headers: { ...TEST_CREDENTIALS, 'content-type': upload.contentType, 'content-length': upload.body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              httpCode: res.statusCode ?? 0,
              headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(upload.body);
    }),
  'raw socket': async (upload) => {
    const exchange = await rawRequest({
      url: mock.url,
      head: postHead(PREDICT_GENDER_PATH, {
        ...TEST_CREDENTIALS,
        'Content-Type': upload.contentType,
        'Content-Length': upload.body.length,
      }),
      // Like a naive client: the whole body in one write, whatever the server says meanwhile.
      chunks: [upload.body],
      stopOnAnswer: false,
      timeoutMs: 20_000,
    });
    if (!exchange.answer) throw new Error(`no answer; the connection ended: ${exchange.ending}`);
    return exchange.answer;
  },
};

/** Runs `tries` fresh-connection uploads, `PARALLEL` at a time; returns the transport errors and wrong answers. */
async function tryMany(client: Client, upload: Oversized): Promise<{ failures: string[]; answered: number }> {
  const failures: string[] = [];
  let answered = 0;
  let next = 0;
  const worker = async () => {
    while (next < upload.tries) {
      next += 1;
      try {
        const answer = await client(upload);
        expect(answer.httpCode).toBe(400);
        expectAnswer(answer, 'INVALID_ARGUMENT');
        answered += 1;
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        failures.push(`${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { failures, answered };
}

describe.each(cases)('$name, on a fresh connection each time', (upload) => {
  it.each(Object.keys(clients))('gets the documented 400 from %s every time', { timeout: 120_000 }, async (name) => {
    const { failures, answered } = await tryMany(clients[name] as Client, upload);
    expect(failures, `${failures.length} of ${upload.tries} tries failed: ${failures.slice(0, 5).join('; ')}`).toEqual(
      [],
    );
    expect(answered).toBe(upload.tries);
    // And the mock still answers afterwards.
    expectAnswer(await callPredict(mock.url, { credentials: false }), 'UNAUTHORIZED');
  });
});
