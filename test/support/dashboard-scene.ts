import { type RunningMock, type StartMockOptions, startMock } from '../../mock/index.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { callPredict } from './predict-request.js';

/** The keys of the dashboard's scene: one with a quota, one expired, one without permission. */
export const SCENE_SECRET = 'dashboard-scene-secret-42';
export const SCENE_CREDENTIALS = { 'x-df-api-id': 'ci-key', 'x-df-api-secret': SCENE_SECRET };

export const SCENE_CONFIG = {
  keys: [
    { id: 'ci-key', secret: SCENE_SECRET, quota: 50, rateLimit: 20 },
    { id: 'old-key', secret: 'old-key-secret-1', expiresAt: '2024-01-01T00:00:00Z' },
    { id: 'other-api-key', secret: 'other-key-secret-1', permission: false },
  ],
  scenarios: [
    {
      name: 'flaky upstream',
      match: { header: { 'X-Test-Case': 'retry' } },
      sequence: [{ status: 'RATE_LIMIT_EXCEEDED' as const }, { status: 'OK' as const }],
    },
  ],
  // What the coverage and audit panel judges the scene's calls against.
  coverage: { require: ['OK' as const, 'OUT_OF_QUOTA' as const, 'RATE_LIMIT_EXCEEDED' as const] },
  audit: { pricePerCall: 0.002 },
};

/** A face-sized picture for the dashboard to draw, different per seed. */
export function sceneImage(seed: number): Uint8Array {
  return seed % 2 === 0 ? makeJpeg({ width: 480, height: 360, seed }) : makePng({ width: 320, height: 320, seed });
}

/** The mock of the dashboard's browser test and of its README picture, on a free loopback port. */
export function startDashboardMock(options: StartMockOptions = {}): Promise<RunningMock> {
  return startMock({ port: 0, config: SCENE_CONFIG, ...options });
}

/** A few calls of each kind, as a CI run would make them, so the page has something to show. */
export async function sendSceneTraffic(url: string): Promise<void> {
  await callPredict(url, { credentials: SCENE_CREDENTIALS, file: sceneImage(1) });
  await callPredict(url, { credentials: { 'x-df-api-id': 'old-key', 'x-df-api-secret': 'old-key-secret-1' } });
  await callPredict(url, { credentials: SCENE_CREDENTIALS, file: new TextEncoder().encode('not an image') });
  await callPredict(url, {
    credentials: SCENE_CREDENTIALS,
    file: sceneImage(3),
    headers: { 'X-Test-Case': 'retry' },
  });
  await callPredict(url, { credentials: SCENE_CREDENTIALS, headers: { prefer: 'example=INTERNAL_ERROR' } });
  await callPredict(url, { credentials: { 'x-df-api-id': 'other-api-key', 'x-df-api-secret': 'other-key-secret-1' } });
  await callPredict(url, { credentials: SCENE_CREDENTIALS, file: sceneImage(4) });
}
