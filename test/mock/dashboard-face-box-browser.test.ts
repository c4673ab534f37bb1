import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../mock/index.js';
import { type FaceBoxReading, faceBoxEdges } from '../../src/image/face-box.js';
import { SCENE_CREDENTIALS, sceneImage, startDashboardMock } from '../support/dashboard-scene.js';
import { expectAnswer } from '../support/documented-answer.js';
import {
  chromiumForTests,
  type HeadlessBrowser,
  launchHeadlessBrowser,
  openLiveDashboard,
} from '../support/headless-browser.js';
import { callPredict } from '../support/predict-request.js';

/**
 * The box the dashboard draws over a picture is the box the answer means under the decision face-box in force:
 * the same four numbers are a different box under `ltrb` and under `xywh`. A mock started with each reading, its
 * page in headless Chromium, an upload from outside the page; the drawn rect's geometry, in the picture's pixels
 * and on the screen, is read back and compared with src/image/face-box.ts's reading of the answer.
 */
const chromium = chromiumForTests('dashboard face box browser tests');

describe.skipIf(!chromium.found)('the dashboard draws face_box as the decision face-box reads it', () => {
  let browser: HeadlessBrowser;
  const mocks: RunningMock[] = [];

  beforeAll(async () => {
    if (!chromium.found) return;
    browser = await launchHeadlessBrowser(chromium.path);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(mocks.map((mock) => mock.close()));
  });

  const readings: { reading: FaceBoxReading; other: FaceBoxReading }[] = [
    { reading: 'ltrb', other: 'xywh' },
    { reading: 'xywh', other: 'ltrb' },
  ];

  it.each(readings)('under face-box $reading', async ({ reading, other }) => {
    const mock = await startDashboardMock({ config: { decisions: { 'face-box': reading } } });
    mocks.push(mock);
    const config = await (await fetch(`${mock.url}/__admin/config`)).json();
    expect(config.decisions['face-box']).toBe(reading);
    const page = await openLiveDashboard(browser, mock.url);

    // 480x360: wider than the square frame, so the picture is letterboxed and the box must be scaled and offset.
    const sent = expectAnswer(
      await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(2) }),
      'OK',
    );
    const box = sent.result.face_box as [number, number, number, number];
    const meant = faceBoxEdges(box, reading);
    // The two readings of these numbers are different boxes, so a page that ignored the decision would fail here.
    expect(faceBoxEdges(box, other)).not.toEqual(meant);

    const rect = page.locator('#preview-box rect');
    // Attached, not visible: a box read the wrong way may have no width, and must fail on its numbers below.
    await rect.waitFor({ state: 'attached' });
    await page.locator('#preview-img:not([hidden])').waitFor();
    const drawn = await rect.evaluate((element) =>
      ['x', 'y', 'width', 'height'].map((name) => Number(element.getAttribute(name))),
    );
    expect(drawn).toEqual([meant.left, meant.top, meant.right - meant.left, meant.bottom - meant.top]);
    await expect(rect.getAttribute('data-reading')).resolves.toBe(reading);

    // On the screen: the overlay maps the picture's 480x360 pixels into the frame as the picture itself is shown
    // (contained, centred), so the rect's edges sit at the answer's pixels scaled by that mapping; its bounding
    // box also holds the outer half of its stroke (drawn at a fixed width whatever the scale).
    const frame = await page.locator('#preview-box').boundingBox();
    const onScreen = await rect.boundingBox();
    if (!frame || !onScreen) throw new Error('the overlay or its rect is not laid out');
    const halfStroke = (await rect.evaluate((element) => Number.parseFloat(getComputedStyle(element).strokeWidth))) / 2;
    const scale = Math.min(frame.width / 480, frame.height / 360);
    const screenX = (pixel: number) => frame.x + (frame.width - 480 * scale) / 2 + pixel * scale;
    const screenY = (pixel: number) => frame.y + (frame.height - 360 * scale) / 2 + pixel * scale;
    expect(onScreen.x).toBeCloseTo(screenX(meant.left) - halfStroke, 0);
    expect(onScreen.y).toBeCloseTo(screenY(meant.top) - halfStroke, 0);
    expect(onScreen.x + onScreen.width).toBeCloseTo(screenX(meant.right) + halfStroke, 0);
    expect(onScreen.y + onScreen.height).toBeCloseTo(screenY(meant.bottom) + halfStroke, 0);

    const facts = await page.locator('#preview-facts').textContent();
    expect(facts).toContain(
      `[${box.join(', ')}] (${reading === 'ltrb' ? 'left, top, right, bottom' : 'x, y, width, height'})`,
    );
    await page.close();
  });
});
