import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMockConfig } from '../../mock/core/config/load-mock-config.js';
import configSchema from '../../mock/core/config/mock-config.schema.json' with { type: 'json' };
import { type Scenario, startMock } from '../../mock/index.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { serializeCassette } from '../../src/cassette/cassette.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { solidJpeg } from '../../src/image/solid-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const portraitPng = makePng({ width: 150, height: 220, seed: 31 });
const landscapePng = makePng({ width: 220, height: 150, seed: 32 });
const squarePng = makePng({ width: 180, height: 180, seed: 33 });
const portraitJpeg = makeJpeg({ width: 150, height: 220, seed: 34 });
const wideJpeg = makeJpeg({ width: 900, height: 300, seed: 35 });

/** "Every portrait PNG is DETECTION_FAILED", and a few more conditions on what an image is, without a hash. */
const scenarios: Scenario[] = [
  { name: 'portrait png', match: { format: 'png', orientation: 'portrait' }, respond: { status: 'DETECTION_FAILED' } },
  { name: 'square', match: { orientation: 'square', field: 'image_base64' }, respond: { status: 'DOWNLOAD_ERROR' } },
  {
    name: 'wide jpeg',
    match: { format: 'jpeg', width: { min: 800, max: 1000 }, height: { max: 400 } },
    respond: { status: 'OUT_OF_QUOTA' },
  },
  { name: 'small upload', match: { bytes: { max: 300 } }, respond: { status: 'INTERNAL_ERROR' } },
];

describe('scenarios that match on what an image is, over HTTP', () => {
  const mock = useMock({ config: { scenarios } }, { shared: true });

  it('answers every portrait PNG DETECTION_FAILED, whichever field carries it, and leaves other images alone', async () => {
    expectAnswer(await callPredict(mock.url, { file: portraitPng }), 'DETECTION_FAILED');
    expectAnswer(await callPredict(mock.url, { imageBase64: portraitPng.toString('base64') }), 'DETECTION_FAILED');
    expectAnswer(await callPredict(mock.url, { file: landscapePng }), 'OK');
    expectAnswer(await callPredict(mock.url, { file: portraitJpeg }), 'OK');
  });

  it('matches orientation with field, width and height ranges with format, and bytes', async () => {
    expectAnswer(await callPredict(mock.url, { imageBase64: squarePng.toString('base64') }), 'DOWNLOAD_ERROR');
    expectAnswer(await callPredict(mock.url, { file: squarePng }), 'OK');
    expectAnswer(await callPredict(mock.url, { file: wideJpeg }), 'OUT_OF_QUOTA', { httpCode: 403 });
    // 900 px wide but 300 px high: still in; a JPEG as wide and higher than 400 px is not.
    expectAnswer(await callPredict(mock.url, { file: makeJpeg({ width: 900, height: 401, seed: 36 }) }), 'OK');
    const tiny = solidJpeg({ width: 128, height: 128, components: 1 });
    expect(tiny.length).toBeLessThanOrEqual(300);
    expectAnswer(await callPredict(mock.url, { file: tiny }), 'INTERNAL_ERROR', { httpCode: 500 });
  });

  it('never matches an image the checks refuse: those are answered by the image stage', async () => {
    const refused = await callPredict(mock.url, { file: makePng({ width: 100, height: 150, seed: 37 }) });
    expect(expectAnswer(refused, 'INVALID_ARGUMENT').reason).toMatch(/each side must be/);
  });
});

describe('scenarios on what an image is, for images the image stage skips (a cassette)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accuauth-scenario-match-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the format and size of a cassette image when a scenario asks, before the cassette answers', async () => {
    const cassette = join(dir, 'vendor.yaml');
    const body = {
      status: 'OK',
      result: { gender: 'Male', confidence: 0.9, face_box: [1, 2, 3, 4], beard: false, beard_confidence: 0.1 },
    };
    const recorded = (image: Buffer) => ({
      image: { sha256: imageSha256(image), bytes: image.length },
      field: 'file' as const,
      answer: { httpCode: 200, body },
      recordedAt: '2026-11-25T10:00:00.000Z',
      target: 'http://127.0.0.1:9',
    });
    await writeFile(
      cassette,
      serializeCassette({ version: 1, recordings: [recorded(portraitPng), recorded(landscapePng)] }),
    );
    const running = await startMock({
      port: 0,
      cassettes: [cassette],
      config: { scenarios: [scenarios[0] as Scenario] },
    });
    try {
      expectAnswer(await callPredict(running.url, { file: portraitPng }), 'DETECTION_FAILED');
      const replayed = await callPredict(running.url, { file: landscapePng });
      expect(expectAnswer(replayed, 'OK').result).toEqual(body.result);
    } finally {
      await running.close();
    }
  });
});

describe('scenarios on what an image is, in MSW', () => {
  const mock = createMswHandlers({ config: { scenarios: [scenarios[0] as Scenario] } });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('answers every portrait PNG DETECTION_FAILED', async () => {
    expectAnswer(await callPredict(VENDOR_BASE_URL, { file: portraitPng }), 'DETECTION_FAILED');
    expectAnswer(
      await callPredict(VENDOR_BASE_URL, { imageBase64: portraitPng.toString('base64') }),
      'DETECTION_FAILED',
    );
    expectAnswer(await callPredict(VENDOR_BASE_URL, { file: landscapePng }), 'OK');
  });
});

describe('the config refuses image conditions that cannot be meant', () => {
  const refusal = (match: unknown) => {
    const check = checkMockConfig({ scenarios: [{ match, respond: { status: 'DETECTION_FAILED' } }] });
    return check.ok ? 'accepted' : check.reason;
  };

  it("offers the spec's image formats as format's alternatives", () => {
    expect(configSchema.$defs.Match.properties.format.enum).toEqual([...imageConstraints().formats]);
  });

  it('names an upside-down range, an empty one, and values outside the alternatives', () => {
    expect(refusal({ width: { min: 300, max: 200 } })).toBe(
      'scenarios[0].match.width.min (300) must not be larger than scenarios[0].match.width.max (200); such a range matches no image',
    );
    expect(refusal({ bytes: {} })).toBe('scenarios[0].match.bytes must have "min", "max" or both');
    expect(refusal({ height: { min: -1 } })).toBe('scenarios[0].match.height.min must be >= 0');
    expect(refusal({ height: { least: 1 } })).toBe('scenarios[0].match.height has an unknown property "least"');
    expect(refusal({ orientation: 'upright' })).toBe(
      'scenarios[0].match.orientation must be one of portrait, landscape, square',
    );
    expect(refusal({ format: 'gif' })).toBe('scenarios[0].match.format must be one of jpeg, png');
    expect(refusal({ width: { min: 200, max: 200 }, orientation: 'square', format: 'png', bytes: { min: 1 } })).toBe(
      'accepted',
    );
  });

  describe('at runtime', () => {
    const mock = useMock();
    it('PUT /__admin/scenarios refuses an upside-down range with 400 and the reason, and keeps serving', async () => {
      const bad = await admin(mock.url, 'PUT', '/scenarios', {
        scenarios: [{ match: { bytes: { min: 10, max: 1 } }, respond: { status: 'DETECTION_FAILED' } }],
      });
      expect(bad.httpCode).toBe(400);
      expect(bad.body).toEqual({
        error: expect.stringContaining('scenarios[0].match.bytes.min (10) must not be larger'),
      });
      expectAnswer(await callPredict(mock.url, { file: portraitPng }), 'OK');
    });
  });
});
