import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import {
  FIXED_BOUNDARY,
  fileUploadBody,
  type MultipartPart,
  multipartBody,
  multipartContentType,
} from '../support/multipart-body.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { postHead, rawRequest } from '../support/raw-http.js';

// Hostile request bodies: whatever arrives, the answer is the documented JSON 400 INVALID_ARGUMENT (credentials are
// valid here), never a 500, an HTML page or a hang, and the mock keeps serving afterwards.
const image = makeJpeg({ width: 160, height: 160, seed: 3 });
const multipartHeaders = { ...TEST_CREDENTIALS, 'content-type': multipartContentType() };

const mock = useMock();

async function expectInvalidArgument(body: Buffer | string, headers: Record<string, string> = multipartHeaders) {
  const answer = await callPredict(mock.url, { body, headers });
  return expectAnswer(answer, 'INVALID_ARGUMENT');
}

async function expectStillServing() {
  const answer = await callPredict(mock.url, { body: fileUploadBody(image), headers: multipartHeaders });
  expectAnswer(answer, 'OK');
}

describe('random multipart bodies (fast-check)', () => {
  it('answers arbitrary bytes under a multipart content type with INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await expectInvalidArgument(Buffer.from(bytes));
      }),
      { numRuns: 60 },
    );
  });

  const part: fc.Arbitrary<MultipartPart> = fc.record({
    name: fc.oneof(
      fc.constantFrom('file', 'image_base64', 'other'),
      fc.string({ maxLength: 40 }),
      fc
        .uint8Array({ minLength: 1, maxLength: 20 })
        .map((b) => Buffer.from(b.filter((c) => c !== 0x22 && c !== 0x0d && c !== 0x0a))),
    ),
    value: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
    ),
  });
  /** A well-formed body, then broken in one way: truncated, a CRLF dropped, or a byte flipped. */
  const damaged = fc
    .tuple(fc.array(part, { maxLength: 12 }), fc.nat(), fc.constantFrom('intact', 'truncate', 'drop-crlf', 'flip'))
    .map(([parts, at, damage]) => {
      const body = multipartBody(parts);
      const offset = body.length === 0 ? 0 : at % body.length;
      if (damage === 'truncate') return body.subarray(0, offset);
      if (damage === 'drop-crlf') {
        const crlf = body.indexOf('\r\n', offset);
        return crlf < 0 ? body : Buffer.concat([body.subarray(0, crlf), body.subarray(crlf + 2)]);
      }
      if (damage === 'flip') {
        const copy = Buffer.from(body);
        copy[offset] = (copy[offset] ?? 0) ^ 0xff;
        return copy;
      }
      return body;
    });

  it('answers structured-but-damaged multipart (random names, values, truncation, lost CRLFs) with INVALID_ARGUMENT', async () => {
    // No part carries a valid image, so whatever survives the damage, the answer is INVALID_ARGUMENT.
    await fc.assert(
      fc.asyncProperty(damaged, async (body) => {
        await expectInvalidArgument(body);
      }),
      { numRuns: 80 },
    );
    await expectStillServing();
  });
});

describe('malformed multipart, targeted', () => {
  const valid = fileUploadBody(image);

  it('refuses a body whose boundary differs from the content type', async () => {
    await expectInvalidArgument(fileUploadBody(image, 'someOtherBoundary'));
  });

  it('refuses a multipart content type without a boundary', async () => {
    await expectInvalidArgument(valid, { ...TEST_CREDENTIALS, 'content-type': 'multipart/form-data' });
  });

  it('refuses a body without the CRLF between part headers and content', async () => {
    const broken = Buffer.from(valid.toString('latin1').replace('\r\n\r\n', '\r\n'), 'latin1');
    await expectInvalidArgument(broken);
  });

  it('refuses a body without its closing delimiter', async () => {
    const open = valid.subarray(0, valid.length - `--${FIXED_BOUNDARY}--\r\n`.length);
    await expectInvalidArgument(open);
  });

  it('refuses a body with only the closing delimiter (no parts) with the vendor reason', async () => {
    const parsed = await expectInvalidArgument(`--${FIXED_BOUNDARY}--\r\n`);
    expect(parsed.reason).toBe("must specify 'file' or 'image_base64' argument");
  });

  it('answers duplicate image_base64 fields with the first one (documented answer)', async () => {
    const body = multipartBody([
      { name: 'image_base64', value: image.toString('base64') },
      { name: 'image_base64', value: '!!!not base64!!!' },
    ]);
    const answer = await callPredict(mock.url, { body, headers: multipartHeaders });
    expectAnswer(answer, 'OK');
  });

  it('answers duplicate file parts with a documented answer', async () => {
    const body = multipartBody([
      { name: 'file', value: image, filename: 'a.jpg' },
      { name: 'file', value: image, filename: 'b.jpg' },
    ]);
    const answer = await callPredict(mock.url, { body, headers: multipartHeaders });
    expectAnswer(answer, ['OK', 'INVALID_ARGUMENT']);
  });

  it('refuses a thousand fields', async () => {
    const parts = Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
    await expectInvalidArgument(multipartBody(parts));
  });

  it('refuses a 100 KB field name', async () => {
    await expectInvalidArgument(multipartBody([{ name: 'n'.repeat(100_000), value: 'x' }]));
  });

  it('answers a part whose name is not UTF-8 (and no image) with INVALID_ARGUMENT', async () => {
    await expectInvalidArgument(multipartBody([{ name: Buffer.from([0xff, 0xfe, 0xc3, 0x28]), value: 'x' }]));
    await expectStillServing();
  });
});

describe('content types', () => {
  it('refuses a body without a content type', async () => {
    await expectInvalidArgument(fileUploadBody(image), { ...TEST_CREDENTIALS });
  });

  it.each(['text/plain', 'application/octet-stream', 'image/jpeg', 'application/xml', 'nonsense', 'multipart/mixed'])(
    'refuses %s',
    async (contentType) => {
      await expectInvalidArgument(fileUploadBody(image), { ...TEST_CREDENTIALS, 'content-type': contentType });
    },
  );

  it('refuses a JSON body even when it carries a valid image_base64 (decision: JSON is not accepted)', async () => {
    const json = JSON.stringify({ image_base64: image.toString('base64') });
    await expectInvalidArgument(json, { ...TEST_CREDENTIALS, 'content-type': 'application/json' });
  });

  it('refuses broken JSON as INVALID_ARGUMENT, not as a parser error page', async () => {
    await expectInvalidArgument('{"image_base64": ', { ...TEST_CREDENTIALS, 'content-type': 'application/json' });
  });

  it('accepts image_base64 in an urlencoded body (decision)', async () => {
    const body = new URLSearchParams({ image_base64: image.toString('base64') }).toString();
    const answer = await callPredict(mock.url, {
      body,
      headers: { ...TEST_CREDENTIALS, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectAnswer(answer, 'OK');
  });

  it('answers random urlencoded bodies with INVALID_ARGUMENT (fast-check)', async () => {
    const headers = { ...TEST_CREDENTIALS, 'content-type': 'application/x-www-form-urlencoded' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('%', '%zz', 'a=%E0%A4%A', '&&&=')),
        async (body) => {
          await expectInvalidArgument(body, headers);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('bodies that end early (raw sockets)', () => {
  const body = fileUploadBody(image);

  it('survives a client that stops sending half-way and closes its side', async () => {
    const exchange = await rawRequest({
      url: mock.url,
      head: postHead(PREDICT_GENDER_PATH, { ...multipartHeaders, 'Content-Length': body.length }),
      chunks: [body.subarray(0, Math.floor(body.length / 2))],
      endAfterSending: true,
      timeoutMs: 5000,
    });
    // The client gave up, so an answer is optional; if one came, it is the documented one.
    if (exchange.answer) expectAnswer(exchange.answer, ANY_STATUS);
    expect(exchange.ending).not.toBe('timeout');
    await expectStillServing();
  });

  it('answers a body that ends before the multipart is complete (Content-Length honest) with INVALID_ARGUMENT', async () => {
    const cut = body.subarray(0, 500);
    const exchange = await rawRequest({
      url: mock.url,
      head: postHead(PREDICT_GENDER_PATH, { ...multipartHeaders, 'Content-Length': cut.length }),
      chunks: [cut],
      timeoutMs: 5000,
    });
    expect(exchange.answer, 'no answer').toBeDefined();
    if (exchange.answer) expectAnswer(exchange.answer, 'INVALID_ARGUMENT');
  });
});
