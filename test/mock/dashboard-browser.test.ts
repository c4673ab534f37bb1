import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../mock/index.js';
import {
  SCENE_CREDENTIALS,
  SCENE_SECRET,
  sceneImage,
  sendSceneTraffic,
  startDashboardMock,
} from '../support/dashboard-scene.js';
import { expectAnswer } from '../support/documented-answer.js';
import {
  chromiumForTests,
  type HeadlessBrowser,
  launchHeadlessBrowser,
  openLiveDashboard,
} from '../support/headless-browser.js';
import { callPredict } from '../support/predict-request.js';

/**
 * The dashboard as a person uses it: a real mock on loopback, its page open in headless Chromium, calls sent to
 * the mock from outside the page. Nothing here reloads the page: what appears, appears live.
 */
const chromium = chromiumForTests('dashboard browser tests');

describe.skipIf(!chromium.found)('the dashboard at /__admin/ui in a real browser', () => {
  let mock: RunningMock;
  let browser: HeadlessBrowser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    if (!chromium.found) return;
    dir = mkdtempSync(join(tmpdir(), 'accuauth-dashboard-'));
    mock = await startDashboardMock();
    browser = await launchHeadlessBrowser(chromium.path);
    page = await openLiveDashboard(browser, mock.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has its own icon, which its Content-Security-Policy lets it load (so the browser never asks /favicon.ico)', async () => {
    const loaded = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      if (!link) return 'no icon declared';
      const image = new Image();
      image.src = link.href;
      await image.decode();
      return `${new URL(link.href).pathname} ${image.naturalWidth}x${image.naturalHeight}`;
    });
    expect(loaded).toMatch(/^\/__admin\/ui\/favicon\.svg [1-9]\d*x[1-9]\d*$/);
  });

  it('shows an upload as a new row, with the picture and its face_box drawn, without a reload', async () => {
    const image = sceneImage(2);
    const sent = expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: image }), 'OK');
    const row = page.locator(`#calls tr[data-request-id="${sent.request_id}"]`);
    await row.waitFor();
    await expect(row.locator('.c-key').textContent()).resolves.toBe('ci-key');
    await expect(row.locator('.c-image').textContent()).resolves.toMatch(/^JPEG 480×360, [\d.]+ KiB$/);
    await expect(row.locator('.c-answer').textContent()).resolves.toBe('200OK');
    await expect(row.locator('.c-answer .code-2xx').count()).resolves.toBe(1);
    await expect(row.locator('.c-stage').textContent()).resolves.toBe('derived');
    // Newest first: the new row is the first one.
    await expect(page.locator('#calls tbody tr').first().getAttribute('data-request-id')).resolves.toBe(
      sent.request_id,
    );

    const [left, top, right, bottom] = sent.result.face_box as [number, number, number, number];
    const rect = page.locator('#preview-box rect');
    await rect.waitFor();
    await expect(rect.getAttribute('x')).resolves.toBe(String(left));
    await expect(rect.getAttribute('y')).resolves.toBe(String(top));
    await expect(rect.getAttribute('width')).resolves.toBe(String(right - left));
    await expect(rect.getAttribute('height')).resolves.toBe(String(bottom - top));
    await expect(page.locator('#preview-box').getAttribute('viewBox')).resolves.toBe('0 0 480 360');
    await page.locator('#preview-img:not([hidden])').waitFor();
    const natural = await page
      .locator('#preview-img')
      .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(natural).toEqual([480, 360]);
    const facts = await page.locator('#preview-facts').textContent();
    expect(facts).toContain(`${sent.result.gender} (${sent.result.confidence})`);
  });

  it('"answer the next call with OUT_OF_QUOTA" answers the next call so, and the row shows it', async () => {
    const buttons = await page
      .locator('#next-buttons button')
      .evaluateAll((all) => all.map((button) => (button as HTMLElement).dataset.nextStatus));
    // Every documented error status, read from the spec by the mock, not typed in the page.
    expect(buttons).toEqual([
      'INVALID_ARGUMENT',
      'DETECTION_FAILED',
      'DOWNLOAD_ERROR',
      'UNAUTHORIZED',
      'KEY_EXPIRED',
      'NO_PERMISSION',
      'OUT_OF_QUOTA',
      'RATE_LIMIT_EXCEEDED',
      'NOT_FOUND',
      'INTERNAL_ERROR',
    ]);
    await page.locator('button[data-next-status="OUT_OF_QUOTA"]').click();
    await page.locator('#next-queued', { hasText: 'OUT_OF_QUOTA' }).waitFor();
    const answered = expectAnswer(
      await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(2) }),
      'OUT_OF_QUOTA',
    );
    const row = page.locator(`#calls tr[data-request-id="${answered.request_id}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-status')).resolves.toBe('OUT_OF_QUOTA');
    await expect(row.locator('.c-answer .code-4xx').count()).resolves.toBe(1);
    await expect(row.locator('.c-stage').textContent()).resolves.toBe('scenario · next answer');
    await page.locator('#next-queued', { hasText: 'Nothing queued.' }).waitFor();
    expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(2) }), 'OK');
  });

  it('shows each key and scenario, filters by status and key, and reset empties the journal', async () => {
    await sendSceneTraffic(mock.url);
    await page.locator('#calls tbody tr[data-status="KEY_EXPIRED"]').waitFor();
    await page.locator('#keys tr[data-key-id="ci-key"]').waitFor();
    const keyIds = await page
      .locator('#keys tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.keyId));
    expect(keyIds).toEqual(['ci-key', 'old-key', 'other-api-key']);
    await expect(page.locator('#keys tr[data-key-id="old-key"]').textContent()).resolves.toContain('expired');
    await expect(page.locator('#scenarios li[data-scenario="flaky upstream"]').textContent()).resolves.toContain(
      'RATE_LIMIT_EXCEEDED → OK',
    );

    await page.locator('#filter-status').selectOption('KEY_EXPIRED');
    const statuses = await page
      .locator('#calls tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.status));
    expect(statuses).toEqual(['KEY_EXPIRED']);
    await page.locator('#filter-status').selectOption('');
    await page.locator('#filter-key').selectOption('other-api-key');
    const keys = await page
      .locator('#calls tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.keyId));
    expect(keys).toEqual(['other-api-key']);
    await page.locator('#filter-key').selectOption('');

    await page.locator('#reset').click();
    await page.locator('#calls-empty:not([hidden])').waitFor();
    await expect(page.locator('#calls tbody tr').count()).resolves.toBe(0);
  });

  it('fits 1280x800 and a narrow window, sends no secret to the page, and needs no network', async () => {
    await sendSceneTraffic(mock.url);
    await page.locator('#calls tbody tr').nth(6).waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page wider than a ${width} px window`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // No layout jump: a call streaming in moves neither the journal's panel, the side panels nor the coverage strip.
    const boxes = async () =>
      Promise.all(['#journal', '#preview', '#control', '#judgement'].map((id) => page.locator(id).boundingBox()));
    const before = await boxes();
    const sent = expectAnswer(
      await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(6) }),
      'OK',
    );
    await page.locator(`#calls tr[data-request-id="${sent.request_id}"]`).waitFor();
    await page.locator('#preview-box rect').waitFor();
    expect(await boxes()).toEqual(before);

    expect(browser.offLoopbackRequests).toEqual([]);
    expect(await page.content()).not.toContain(SCENE_SECRET);
    const screenshot = join(dir, 'dashboard.png');
    await page.screenshot({ path: screenshot });
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});

describe.skipIf(!chromium.found)('the dashboard of a mock behind an admin token', () => {
  const TOKEN = 'dashboard-token-7c2e';
  let mock: RunningMock;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    if (!chromium.found) return;
    mock = await startDashboardMock({ adminToken: TOKEN });
    browser = await launchHeadlessBrowser(chromium.path);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('asks for the token once, is refused without it, then shows the calls live', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mock.url}/__admin/ui`);
    await page.locator('#token-form:not([hidden])').waitFor();
    await expect(page.locator('#calls tbody tr').count()).resolves.toBe(0);
    await page.locator('#token-input').fill('wrong-token');
    await page.locator('#token-form button').click();
    await page.locator('#token-error', { hasText: 'That token was refused.' }).waitFor();
    await page.locator('#token-input').fill(TOKEN);
    await page.locator('#token-form button').click();
    await page.locator('#connection[data-state="live"]').waitFor();
    const sent = expectAnswer(
      await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(2) }),
      'OK',
    );
    await page.locator(`#calls tr[data-request-id="${sent.request_id}"]`).waitFor();
    await page.locator('#preview-box rect').waitFor();
    // Kept for the tab only: a reload does not ask again.
    await page.reload();
    await page.locator('#connection[data-state="live"]').waitFor();
    await expect(page.locator('#token-form').isHidden()).resolves.toBe(true);
    await page.close();
  });
});
