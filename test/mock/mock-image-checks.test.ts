import { describe, expect, it } from 'vitest';
import { makeHeaderOnlyImage, makeJpeg, makePng } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';

const mock = useMock();
const { minSide, maxSide, maxBytes } = imageConstraints();
const jpeg = makeJpeg({ width: 320, height: 240, seed: 7 });
const png = makePng({ width: 200, height: 180, seed: 3 });
const vendorMissingReason = (namedExamples().get('INVALID_ARGUMENT')?.body as { reason?: string } | undefined)?.reason;

describe('default behaviour: a valid image gets a deterministic 200', () => {
  it('JPEG and PNG (file) -> 200, face_box inside the image, confidences consistent with 0.5', async () => {
    for (const [image, width, height] of [
      [jpeg, 320, 240],
      [png, 200, 180],
    ] as const) {
      const body = expectAnswer(await callPredict(mock.url, { file: image }), 'OK');
      const [left, top, right, bottom] = body.result.face_box as number[];
      expect(left).toBeLessThan(right as number);
      expect(top).toBeLessThan(bottom as number);
      expect(right).toBeLessThanOrEqual(width);
      expect(bottom).toBeLessThanOrEqual(height);
      expect(body.result.confidence).toBeGreaterThanOrEqual(0.5);
      expect(body.result.beard).toBe(body.result.beard_confidence >= 0.5);
    }
  });

  it('the same image always gets the same result, whichever field carries it; another image another result', async () => {
    const first = expectAnswer(await callPredict(mock.url, { file: jpeg }), 'OK');
    const again = expectAnswer(await callPredict(mock.url, { file: jpeg }), 'OK');
    const asBase64 = expectAnswer(
      await callPredict(mock.url, { imageBase64: Buffer.from(jpeg).toString('base64') }),
      'OK',
    );
    const urlencoded = expectAnswer(
      await callPredict(mock.url, { urlencoded: true, imageBase64: Buffer.from(jpeg).toString('base64') }),
      'OK',
    );
    expect(again.result).toEqual(first.result);
    expect(asBase64.result).toEqual(first.result);
    expect(urlencoded.result).toEqual(first.result);
    const other = expectAnswer(
      await callPredict(mock.url, { file: makeJpeg({ width: 320, height: 240, seed: 8 }) }),
      'OK',
    );
    expect(other.result).not.toEqual(first.result);
  });

  it('both fields: file wins and image_base64 is ignored', async () => {
    const answer = await callPredict(mock.url, { file: jpeg, imageBase64: 'not base64 at all!' });
    expectAnswer(answer, 'OK');
  });

  it('MIME base64 with line breaks and without padding is accepted', async () => {
    const text = Buffer.from(png).toString('base64').replace(/=+$/, '');
    const wrapped = text.replace(/.{76}/g, '$&\r\n');
    expectAnswer(await callPredict(mock.url, { imageBase64: wrapped }), 'OK');
  });
});

describe('default behaviour: every bad image is 400 INVALID_ARGUMENT with a reason', () => {
  const invalid = async (call: Parameters<typeof callPredict>[1], reason?: RegExp | string) => {
    const answer = await callPredict(mock.url, call);
    expect(answer.httpCode).toBe(400);
    const body = expectAnswer(answer, 'INVALID_ARGUMENT');
    if (reason) expect(body.reason).toMatch(reason);
    return body;
  };

  it("neither field, or empty fields -> the vendor's reason", async () => {
    for (const call of [{}, { imageBase64: '' }, { file: new Uint8Array(0) }, { urlencoded: true, imageBase64: '' }]) {
      const answer = await invalid(call);
      expect(answer.reason).toBe(vendorMissingReason);
    }
  });

  it('not an image, or a GIF, judged by content whatever the name', async () => {
    await invalid({ file: new TextEncoder().encode('hello, I am a text file pretending to be a jpeg') });
    await invalid({ file: Buffer.from('GIF89a\x80\x00\x80\x00\x00\x00\x00;', 'latin1') });
  });

  it('a truncated JPEG', async () => {
    await invalid({ file: jpeg.subarray(0, 100) });
  });

  it(`a side below ${minSide} or above ${maxSide} px; the bounds themselves pass the check`, async () => {
    await invalid({ file: makePng({ width: minSide - 1, height: 200 }) }, new RegExp(`${minSide - 1}`));
    await invalid(
      { file: makeHeaderOnlyImage({ format: 'jpeg', width: 300, height: maxSide + 1 }) },
      new RegExp(`300x${maxSide + 1} px`),
    );
    const atBounds = await callPredict(mock.url, { file: makeJpeg({ width: minSide, height: minSide }) });
    expectAnswer(atBounds, 'OK');
  });

  it(`a file over ${maxBytes} bytes -> 400 JSON (never 413), cut off as it streams`, async () => {
    const big = new Uint8Array(maxBytes + 1);
    big.set(jpeg);
    await invalid({ file: big }, new RegExp(`${maxBytes}`));
  });

  it('image_base64 that is not standard base64: URL-safe alphabet, data: URL, garbage', async () => {
    const base64 = Buffer.from(jpeg).toString('base64');
    await invalid({ imageBase64: base64.replaceAll('+', '-').replaceAll('/', '_') }, /image_base64/);
    await invalid({ imageBase64: `data:image/jpeg;base64,${base64}` }, /image_base64/);
    await invalid({ imageBase64: '!!!!' }, /image_base64/);
  });

  it('image_base64 decoding to more than the limit, in multipart and urlencoded', async () => {
    const tooBig = Buffer.alloc(maxBytes + 3, 1).toString('base64');
    await invalid({ imageBase64: tooBig });
    await invalid({ urlencoded: true, imageBase64: tooBig });
  });

  it('JSON, text and missing content types', async () => {
    const body = JSON.stringify({ image_base64: Buffer.from(jpeg).toString('base64') });
    await invalid({ body, headers: { 'content-type': 'application/json' } }, /application\/json/);
    await invalid({ body: 'x', headers: { 'content-type': 'text/plain' } });
  });

  it('a malformed multipart body (no closing boundary, boundary missing)', async () => {
    const broken = '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc';
    await invalid({ body: broken, headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }, /malformed/);
    await invalid({ body: broken, headers: { 'content-type': 'multipart/form-data' } }, /malformed/);
  });

  it('credentials are checked before the body', async () => {
    const answer = await callPredict(mock.url, { credentials: false, file: new Uint8Array([1, 2, 3]) });
    expectAnswer(answer, 'UNAUTHORIZED');
  });
});

describe('other paths and methods -> 404 NOT_FOUND JSON, never an HTML page', () => {
  it.each([
    ['GET', '/face/predict_gender'],
    ['PUT', '/face/predict_gender'],
    ['POST', '/face/predict_age'],
    ['GET', '/'],
    ['DELETE', '/face/predict_gender/x'],
  ])('%s %s', async (method, path) => {
    const answer = await callPredict(mock.url, { method, path, credentials: TEST_CREDENTIALS });
    expect(answer.httpCode).toBe(404);
    expectAnswer(answer, 'NOT_FOUND');
  });
});
