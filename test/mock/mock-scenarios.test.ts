import { describe, expect, it } from 'vitest';
import { type Scenario, startMock } from '../../mock/index.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { errorCatalogue, httpCodeOf } from '../../src/spec/error-catalogue.js';
import type { PredictGenderResult } from '../../src/types.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const image = makeJpeg({ width: 200, height: 200, seed: 21 });
const otherImage = makePng({ width: 200, height: 200, seed: 22 });
const scripted: PredictGenderResult = {
  gender: 'Female',
  confidence: 0.91,
  face_box: [10, 20, 110, 150],
  beard: false,
  beard_confidence: 0.02,
};

describe('scenarios: every status value reachable by configuration', () => {
  const scenarios: Scenario[] = [
    ...[...errorCatalogue().keys()].map((status) => ({
      match: { header: { 'X-Want': status } },
      respond: { status },
    })),
    {
      name: 'scripted-ok',
      match: { header: { 'x-want': 'SCRIPTED' } },
      respond: { status: 'OK', result: scripted },
    },
    {
      name: 'by-image',
      match: { imageSha256: imageSha256(otherImage) },
      respond: { status: 'DETECTION_FAILED', reason: 'no face here' },
    },
    {
      name: 'by-field',
      match: { field: 'image_base64', keyId: 'b64-user' },
      respond: { status: 'DOWNLOAD_ERROR' },
    },
    {
      name: 'flaky',
      match: { keyId: 'flaky' },
      sequence: [{ status: 'RATE_LIMIT_EXCEEDED' }, { status: 'RATE_LIMIT_EXCEEDED' }, { status: 'OK' }],
    },
  ];
  const mock = useMock({ config: { scenarios } });

  for (const status of errorCatalogue().keys()) {
    it(`a scenario answering ${status} -> HTTP ${httpCodeOf(status)}`, async () => {
      const answer = await callPredict(mock.url, { file: image, headers: { 'x-want': status } });
      expect(answer.httpCode).toBe(httpCodeOf(status));
      expectAnswer(answer, status);
    });
  }

  it('a scripted result -> 200 with exactly that result', async () => {
    const answer = expectAnswer(await callPredict(mock.url, { file: image, headers: { 'x-want': 'SCRIPTED' } }), 'OK');
    expect(answer.result).toEqual(scripted);
  });

  it('matches on the sha256 of the image, with its own reason', async () => {
    const answer = expectAnswer(await callPredict(mock.url, { file: otherImage }), 'DETECTION_FAILED');
    expect(answer.reason).toBe('no face here');
    expectAnswer(await callPredict(mock.url, { file: image }), 'OK');
  });

  it('matches on the field used and the key id', async () => {
    const credentials = { 'x-df-api-id': 'b64-user', 'x-df-api-secret': 's' };
    const base64 = Buffer.from(image).toString('base64');
    expectAnswer(await callPredict(mock.url, { credentials, imageBase64: base64 }), 'DOWNLOAD_ERROR');
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OK');
  });

  it('a sequence: two RATE_LIMIT_EXCEEDED, then OK, then the default behaviour', async () => {
    const credentials = { 'x-df-api-id': 'flaky', 'x-df-api-secret': 's' };
    const statuses: string[] = [];
    for (let call = 0; call < 4; call += 1) {
      statuses.push(expectAnswer(await callPredict(mock.url, { credentials, file: image }), ANY_STATUS).status);
    }
    expect(statuses).toEqual(['RATE_LIMIT_EXCEEDED', 'RATE_LIMIT_EXCEEDED', 'OK', 'OK']);
    await admin(mock.url, 'POST', '/reset');
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'RATE_LIMIT_EXCEEDED');
  });
});

describe('fault injection and latency', () => {
  it('internalErrorRate 1 -> every call that would succeed is 500 INTERNAL_ERROR', async () => {
    const mock = await startMock({ port: 0, config: { faults: { internalErrorRate: 1 } } });
    try {
      const answer = await callPredict(mock.url, { file: image });
      expect(answer.httpCode).toBe(500);
      expectAnswer(answer, 'INTERNAL_ERROR');
      expectAnswer(await callPredict(mock.url, {}), 'INVALID_ARGUMENT');
    } finally {
      await mock.close();
    }
  });

  it('faults are seeded: the same seed gives the same sequence, reset replays it', async () => {
    const run = async () => {
      const mock = await startMock({ port: 0, config: { seed: 42, faults: { internalErrorRate: 0.5 } } });
      try {
        const statuses: string[] = [];
        for (let call = 0; call < 16; call += 1)
          statuses.push(expectAnswer(await callPredict(mock.url, { file: image }), ['OK', 'INTERNAL_ERROR']).status);
        await admin(mock.url, 'POST', '/reset');
        const replay: string[] = [];
        for (let call = 0; call < 16; call += 1)
          replay.push(expectAnswer(await callPredict(mock.url, { file: image }), ['OK', 'INTERNAL_ERROR']).status);
        expect(replay).toEqual(statuses);
        return statuses;
      } finally {
        await mock.close();
      }
    };
    const first = await run();
    expect(first).toContain('INTERNAL_ERROR');
    expect(first).toContain('OK');
    expect(await run()).toEqual(first);
  });

  it('fixed latency delays the answer', async () => {
    const mock = await startMock({ port: 0, config: { latency: { ms: 150 } } });
    try {
      const started = performance.now();
      expectAnswer(await callPredict(mock.url, { file: image }), 'OK');
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    } finally {
      await mock.close();
    }
  });
});
