import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../mock/index.js';
import { CLIENT_MISTAKES } from '../support/client-mistakes.js';
import { SCENE_CREDENTIALS, SCENE_SECRET, sceneImage, startDashboardMock } from '../support/dashboard-scene.js';
import { expectAnswer } from '../support/documented-answer.js';
import {
  chromiumForTests,
  type HeadlessBrowser,
  launchHeadlessBrowser,
  openLiveDashboard,
} from '../support/headless-browser.js';
import { callPredict } from '../support/predict-request.js';

/** The dashboard's "why refused" column and facts, in real Chromium, for calls sent from outside the page. */
const chromium = chromiumForTests('dashboard browser tests');
const urlSafe = CLIENT_MISTAKES.find((mistake) => mistake.code === 'url-safe-base64');
const wrongHeaders = CLIENT_MISTAKES.find((mistake) => mistake.name.includes('Authorization'));
if (!urlSafe || !wrongHeaders) throw new Error('the shared mistakes lost their URL-safe or Authorization case');

describe.skipIf(!chromium.found)('the dashboard shows why a call was refused', () => {
  let mock: RunningMock;
  let browser: HeadlessBrowser;
  let page: Page;

  beforeAll(async () => {
    if (!chromium.found) return;
    mock = await startDashboardMock();
    browser = await launchHeadlessBrowser(chromium.path);
    page = await openLiveDashboard(browser, mock.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('each refused row shows the code, the offending value and the fix; the selected row shows the closest request', async () => {
    const refused = expectAnswer(
      await callPredict(mock.url, { ...urlSafe.call, credentials: SCENE_CREDENTIALS }),
      'INVALID_ARGUMENT',
    );
    const row = page.locator(`#calls tr[data-request-id="${refused.request_id}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-diagnosis')).resolves.toBe('url-safe-base64');
    await expect(row.locator('.c-why .diag-code').textContent()).resolves.toBe('url-safe-base64');
    await expect(row.locator('.c-why .diag-value').textContent()).resolves.toMatch(/^"[-_]" at position \d+$/);
    await expect(row.locator('.c-why .diag-fix').textContent()).resolves.toMatch(
      /replace '-' with '\+' and '_' with '\/'/,
    );
    await expect(row.locator('.c-why').getAttribute('title')).resolves.toMatch(
      /^url-safe-base64 \(.+\): send standard base64/,
    );
    // Visible in the row, not hidden by the table's fixed layout.
    await expect(row.locator('.c-why .diag-code').isVisible()).resolves.toBe(true);

    await row.click();
    const facts = page.locator('#preview-facts');
    await expect(facts.textContent()).resolves.toContain('refused forurl-safe-base64');
    await expect(facts.textContent()).resolves.toMatch(/closest validPOST \/face\/predict_gender with headers/);
    await row.click();
  });

  it('an accepted call has an empty cell; a secret sent under a wrong header name never reaches the page', async () => {
    const ok = expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(5) }), 'OK');
    const okRow = page.locator(`#calls tr[data-request-id="${ok.request_id}"]`);
    await okRow.waitFor();
    await expect(okRow.locator('.c-why').textContent()).resolves.toBe('');
    await expect(okRow.getAttribute('data-diagnosis')).resolves.toBeNull();

    const leaked = expectAnswer(
      await callPredict(mock.url, {
        ...wrongHeaders.call,
        credentials: { 'X-DF-API-ID': 'ci-key', Authorization: `Bearer ${SCENE_SECRET}` },
      }),
      'UNAUTHORIZED',
    );
    const row = page.locator(`#calls tr[data-request-id="${leaked.request_id}"]`);
    await row.waitFor();
    await expect(row.locator('.c-why .diag-value').textContent()).resolves.toBe('authorization: [REDACTED]');
    expect(await page.content()).not.toContain(SCENE_SECRET);
  });
});
