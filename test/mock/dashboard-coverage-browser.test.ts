import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAnswer, CoverageAnswer } from '../../mock/admin/admin-answers.js';
import type { RunningMock } from '../../mock/index.js';
import { SCENE_CONFIG, SCENE_CREDENTIALS, sceneImage, startDashboardMock } from '../support/dashboard-scene.js';
import { expectAnswer } from '../support/documented-answer.js';
import {
  chromiumForTests,
  type HeadlessBrowser,
  launchHeadlessBrowser,
  openLiveDashboard,
} from '../support/headless-browser.js';
import { callPredict } from '../support/predict-request.js';

/**
 * The dashboard's coverage and audit panel in real Chromium: calls sent to the mock from outside the page, the
 * panel read as a person reads it. Nothing reloads the page (a marker set on the window at the start must survive).
 */
const chromium = chromiumForTests('dashboard coverage browser tests');

async function adminJson<T>(mock: RunningMock, route: string): Promise<T> {
  const response = await fetch(`${mock.url}/__admin${route}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe.skipIf(!chromium.found)('the dashboard shows coverage and the audit live', () => {
  let mock: RunningMock;
  let browser: HeadlessBrowser;
  let page: Page;
  const panelFetches: string[] = [];
  const statusRow = (status: string) => page.locator(`#coverage tbody tr[data-status="${status}"]`);
  const boxes = () =>
    Promise.all(
      ['#journal', '#preview', '#control', '#judgement', '#coverage', '#ok-variants', '#input-ways', '#findings'].map(
        (id) => page.locator(id).boundingBox(),
      ),
    );

  beforeAll(async () => {
    if (!chromium.found) return;
    mock = await startDashboardMock({
      config: { ...SCENE_CONFIG, coverage: { require: ['OK', 'OUT_OF_QUOTA'] }, audit: { pricePerCall: 0.01 } },
    });
    browser = await launchHeadlessBrowser(chromium.path);
    page = await openLiveDashboard(browser, mock.url);
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname === '/__admin/coverage' || pathname === '/__admin/audit') panelFetches.push(pathname);
    });
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('starts with every documented status missing and both required outcomes unmet', async () => {
    const statuses = await page
      .locator('#coverage tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [(row as HTMLElement).dataset.status, (row as HTMLElement).dataset.state]),
      );
    // Every status value the spec documents, OK first, read from the mock (not typed in the page).
    const { missing } = await adminJson<CoverageAnswer>(mock, '/coverage');
    expect(statuses.map(([status]) => status)).toEqual(missing);
    expect(statuses.every(([, state]) => state === 'missing')).toBe(true);
    await expect(statusRow('KEY_EXPIRED').locator('.c-seen').textContent()).resolves.toBe('missing');
    await expect(page.locator('#coverage-required').getAttribute('data-state')).resolves.toBe('unmet');
    await expect(
      page.locator('#coverage-required .unmet').evaluateAll((all) => all.map((item) => item.textContent)),
    ).resolves.toEqual(['OK', 'OUT_OF_QUOTA']);
    await expect(page.locator('#findings li').textContent()).resolves.toMatch(/^None/);
    await expect(page.locator('#audit-billable').textContent()).resolves.toBe('0');
    // Tables with captions, and headings, for a screen reader.
    for (const id of ['coverage', 'ok-variants', 'input-ways']) {
      await expect(page.locator(`#${id} caption`).textContent(), id).resolves.not.toBe('');
    }
    await expect(page.getByRole('heading', { name: /Client coverage and audit/ }).count()).resolves.toBe(1);
  });

  it('counts an OK, meets OUT_OF_QUOTA by Prefer, and flags the same image answered OK twice, all without reload or layout shift', async () => {
    const before = await boxes();
    const image = sceneImage(2);
    const first = expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: image }), 'OK');
    await page.locator('#coverage tbody tr[data-status="OK"][data-state="seen"]').waitFor();
    await expect(statusRow('OK').locator('.c-seen').textContent()).resolves.toBe('1');
    await expect(statusRow('OK').locator('.c-required').textContent()).resolves.toBe('met');
    await page.locator('#coverage-required .unmet[data-status="OK"]').waitFor({ state: 'detached' });
    await expect(page.locator('#coverage-required .unmet[data-status="OUT_OF_QUOTA"]').count()).resolves.toBe(1);
    await expect(page.locator('#input-ways tr[data-id="multipart file"] .c-seen').textContent()).resolves.toBe('1');
    await expect(
      page.locator('#input-ways tr[data-id="urlencoded image_base64"]').getAttribute('data-state'),
    ).resolves.toBe('missing');

    expectAnswer(
      await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, headers: { prefer: 'example=OUT_OF_QUOTA' } }),
      'OUT_OF_QUOTA',
    );
    await page.locator('#coverage-required[data-state="met"]').waitFor();
    await expect(page.locator('#coverage-required').textContent()).resolves.toBe('All 2 required outcomes met.');
    await expect(statusRow('OUT_OF_QUOTA').locator('.c-seen').textContent()).resolves.toBe('1');
    await expect(statusRow('OUT_OF_QUOTA').locator('td').last().textContent()).resolves.toBe('prefer 1');
    // Still never answered, and said so.
    await expect(statusRow('KEY_EXPIRED').getAttribute('data-state')).resolves.toBe('missing');
    await expect(statusRow('KEY_EXPIRED').locator('.c-seen').textContent()).resolves.toBe('missing');

    const again = expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: image }), 'OK');
    const duplicate = page.locator('#findings li[data-kind="duplicate-image"][data-key-id="ci-key"]');
    await duplicate.waitFor();
    await expect(duplicate.getAttribute('data-count')).resolves.toBe('1');
    await expect(duplicate.locator('.finding-count').textContent()).resolves.toBe('1×');
    const example = await duplicate.locator('.finding-example').textContent();
    expect(example).toContain(first.request_id);
    expect(example).toContain(again.request_id);
    await expect(duplicate.locator('.finding-fix').textContent()).resolves.toMatch(
      /^Cache answers by the image SHA-256/,
    );

    expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: image }), 'OK');
    await page.locator('#findings li[data-kind="duplicate-image"][data-count="2"]').waitFor();
    await expect(statusRow('OK').locator('.c-seen').textContent()).resolves.toBe('3');

    // The page says what the audit says: billable calls and their price.
    const audit = await adminJson<AuditAnswer>(mock, '/audit');
    expect(audit.billableCalls).toBeGreaterThanOrEqual(3);
    await page.locator('#audit-billable', { hasText: new RegExp(`^${audit.billableCalls}$`) }).waitFor();
    await expect(page.locator('#audit-spend').textContent()).resolves.toBe(
      `${audit.estimatedSpend} (${audit.billableCalls} × 0.01)`,
    );

    expect(await boxes()).toEqual(before);
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
  });

  it('reads coverage and audit a few times for a burst of calls, not once per call, and ends on the last call', async () => {
    const burst = 40;
    panelFetches.length = 0;
    await Promise.all(
      Array.from({ length: burst }, (_, index) =>
        callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(10 + index) }),
      ),
    );
    const { calls } = await adminJson<CoverageAnswer>(mock, '/coverage');
    await page.locator('#judgement-since', { hasText: ` ${calls} calls` }).waitFor();
    const coverageReads = panelFetches.filter((path) => path === '/__admin/coverage').length;
    expect(coverageReads).toBeGreaterThan(0);
    // One read per call would be `burst` reads; the page reads at most once per 300 ms.
    expect(coverageReads).toBeLessThan(burst);
  });

  it('empties the panel on reset', async () => {
    await page.locator('#reset').click();
    await page.locator('#judgement-since', { hasText: ' 0 calls' }).waitFor();
    await expect(statusRow('OK').getAttribute('data-state')).resolves.toBe('missing');
    await expect(page.locator('#findings li').textContent()).resolves.toMatch(/^None/);
    await expect(page.locator('#coverage-required[data-state="unmet"]').count()).resolves.toBe(1);
    expect(browser.offLoopbackRequests).toEqual([]);
  });
});
