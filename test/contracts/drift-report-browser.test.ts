import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDriftReportScene, type DriftReportScene, SCENE_KEY } from '../support/drift-report-scene.js';
import { chromiumForTests, type HeadlessBrowser, launchHeadlessBrowser } from '../support/headless-browser.js';

/**
 * drift-report.html as a person sees it: drift run for real against drifted stand-ins on loopback, with a history
 * of earlier nights, then opened in headless Chromium from the file, as one opens a CI artifact.
 */
const chromium = chromiumForTests('drift-report.html browser tests');

describe.skipIf(!chromium.found)('drift-report.html in a real browser', () => {
  let scene: DriftReportScene;
  let browser: HeadlessBrowser;
  let page: Page;

  beforeAll(async () => {
    if (!chromium.found) return;
    scene = await buildDriftReportScene();
    browser = await launchHeadlessBrowser(chromium.path);
    page = await browser.context.newPage();
    await page.goto(pathToFileURL(scene.htmlPath).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await scene?.close();
  });

  it('shows the verdict first, then every finding of the night with its request and both answers', async () => {
    expect(scene.tonight.exitCode).toBe(1);
    const drifted = scene.tonight.report.probes.filter((probe) => probe.findings.length > 0);
    expect(drifted.length).toBeGreaterThan(0);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('AccuAuth drift check: drift found');
    const top = async (selector: string) => (await page.locator(selector).first().boundingBox())?.y ?? -1;
    expect(await top('#verdict')).toBeLessThan(await top('#trend'));
    expect(await top('#trend')).toBeLessThan(await top('#findings'));
    for (const probe of drifted) {
      const article = page.locator(`article[data-probe="${probe.probe}"]`);
      await expect(article.isVisible()).resolves.toBe(true);
      const items = await article.locator('ul.found li').allTextContents();
      // Each finding under the badge of its class (the night's contract drift, and the latency moved off the history).
      expect(items).toEqual(probe.classedFindings.map((classed) => `${classed.class}${classed.finding}`));
      await expect(article.locator('.request').textContent()).resolves.toContain(
        `${probe.request.method} ${probe.request.path}`,
      );
      await expect(article.locator('[data-side="reference"] .code').textContent()).resolves.toMatch(/^HTTP \d{3}$/);
      await expect(article.locator('[data-side="target"] .code').textContent()).resolves.toMatch(/^HTTP \d{3}$/);
    }
  });

  it("shows a vendor's HTML page as text, never as markup of the report", async () => {
    const target = page.locator('article[data-probe="unknown-path"] [data-side="target"] pre');
    await expect(target.textContent()).resolves.toBe('<html><body><h1>404 Not Found</h1></body></html>');
    await expect(page.locator('h1', { hasText: '404 Not Found' }).count()).resolves.toBe(0);
    await expect(page.locator('[data-side="target"] .code-4xx').count()).resolves.toBeGreaterThan(0);
  });

  it('plots findings per class and the latency over the nights, noting the files it skipped', async () => {
    const bars = page.locator('#findings-per-class rect title');
    const barTitles = await bars.allTextContents();
    // The extra-field night, the changed-code night and tonight drifted; the down night could not check.
    expect(barTitles.filter((title) => / contract$/.test(title))).toHaveLength(3);
    expect(barTitles.filter((title) => title.endsWith('could not check'))).toHaveLength(1);
    const points = await page.locator('#vendor-latency circle title').allTextContents();
    // Every night answered (the down night with 503s, still the vendor's latency).
    expect(points.filter((title) => title.includes(': p50 '))).toHaveLength(6);
    expect(points.filter((title) => title.includes(': max '))).toHaveLength(6);
    await expect(page.locator('#trend h2').textContent()).resolves.toBe('Over 6 nights');
    const notes = await page.locator('#history-notes li').allTextContents();
    expect(notes).toEqual([
      'skipped half-written.json: not valid JSON',
      expect.stringMatching(/^skipped package\.json: not a drift report/),
    ]);
  });

  it('fits 1280x800 and a narrow window without sideways scrolling, and needed no network', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page wider than a ${width} px window`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(browser.offLoopbackRequests).toEqual([]);
    const html = await page.content();
    expect(html).not.toContain(SCENE_KEY.secret);
    const screenshot = join(scene.dir, 'drift-report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});
