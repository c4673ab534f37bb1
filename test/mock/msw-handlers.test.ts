import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { imageSha256, predictFromImage } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict } from '../support/predict-request.js';

// The MSW adapter serves the same core as the HTTP mock, without a listening server: requests to the vendor's
// origin never leave the process, and anything else is an error (onUnhandledRequest), so nothing reaches a network.
const png = makePng({ width: 200, height: 160, seed: 7 });
const mock = createMswHandlers({
  config: {
    keys: [
      { id: 'team-key', secret: 'team-secret' },
      { id: 'spent-key', secret: 'spent-secret', quota: 0 },
    ],
    scenarios: [{ name: 'no face', match: { imageSha256: imageSha256(png) }, respond: { status: 'DETECTION_FAILED' } }],
  },
});
const server = setupServer(...mock.handlers);
const team = { 'x-df-api-id': 'team-key', 'x-df-api-secret': 'team-secret' };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => mock.core.reset());
afterAll(() => server.close());

describe('the mock as MSW handlers', () => {
  it('answers a valid JPEG upload with the same derived result as the server mock', async () => {
    const jpeg = makeJpeg({ width: 320, height: 240, seed: 3 });
    const answer = expectAnswer(await callPredict(VENDOR_BASE_URL, { file: jpeg, credentials: team }), 'OK');
    expect(answer.result).toEqual(predictFromImage(imageSha256(jpeg), { width: 320, height: 240 }));
  });

  it('answers image_base64 sent urlencoded', async () => {
    const jpeg = makeJpeg({ width: 160, height: 160, seed: 4 });
    const call = { imageBase64: jpeg.toString('base64'), urlencoded: true, credentials: team };
    expectAnswer(await callPredict(VENDOR_BASE_URL, call), 'OK');
  });

  it('runs the configured scenarios, keys and quotas', async () => {
    expectAnswer(await callPredict(VENDOR_BASE_URL, { file: png, credentials: team }), 'DETECTION_FAILED');
    const spent = { 'x-df-api-id': 'spent-key', 'x-df-api-secret': 'spent-secret' };
    expectAnswer(
      await callPredict(VENDOR_BASE_URL, { file: makePng({ width: 128, height: 128 }), credentials: spent }),
      'OUT_OF_QUOTA',
    );
    const wrong = { 'x-df-api-id': 'team-key', 'x-df-api-secret': 'not-the-secret' };
    expectAnswer(await callPredict(VENDOR_BASE_URL, { file: png, credentials: wrong }), 'UNAUTHORIZED');
  });

  it('honours Prefer, refuses bad input and unknown paths like the vendor', async () => {
    const preferred = await callPredict(VENDOR_BASE_URL, { headers: { prefer: 'example=RATE_LIMIT_EXCEEDED' } });
    expectAnswer(preferred, 'RATE_LIMIT_EXCEEDED', { httpCode: 403 });
    const missing = expectAnswer(
      await callPredict(VENDOR_BASE_URL, { credentials: team, body: new FormData() }),
      'INVALID_ARGUMENT',
    );
    expect(missing.reason).toBe("must specify 'file' or 'image_base64' argument");
    const junk = await callPredict(VENDOR_BASE_URL, { imageBase64: 'not base64 at all!', credentials: team });
    expectAnswer(junk, 'INVALID_ARGUMENT');
    const json = { body: '{"image_base64":"x"}', headers: { 'content-type': 'application/json' }, credentials: team };
    expectAnswer(await callPredict(VENDOR_BASE_URL, json), 'INVALID_ARGUMENT');
    expectAnswer(await callPredict(VENDOR_BASE_URL, { path: '/face/nothing' }), 'NOT_FOUND', { httpCode: 404 });
  });

  it('journals what the code under test sent, with the secret redacted', async () => {
    await callPredict(VENDOR_BASE_URL, { file: png, credentials: team });
    const [entry] = (await mock.core.journal.list()).requests;
    expect(entry?.headers['x-df-api-secret']).not.toBe('team-secret');
    expect(JSON.stringify((await mock.core.journal.list()).requests)).not.toContain('team-secret');
  });
});
