/**
 * Writes docs/drift-report.png, the README's picture of drift-report.html: the same scene as the browser test
 * (drift against drifted stand-ins on loopback, with a week of history), opened in Debian's Chromium at 1280 px.
 * Run by hand (`npm run docs:drift-screenshot`) when the page changes; `npm test` never rewrites the committed copy.
 */
import { pathToFileURL } from 'node:url';
import { buildDriftReportScene } from '../test/support/drift-report-scene.js';
import { findChromium, launchHeadlessBrowser } from '../test/support/headless-browser.js';

const OUT = new URL('../docs/drift-report.png', import.meta.url);

const chromium = findChromium();
if (!chromium.found) {
  console.error(`drift-report screenshot: ${chromium.reason}`);
  process.exit(2);
}
const scene = await buildDriftReportScene();
const browser = await launchHeadlessBrowser(chromium.path);
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(pathToFileURL(scene.htmlPath).href);
  await page.screenshot({ path: OUT.pathname, fullPage: true });
  console.log(`wrote ${OUT.pathname}`);
} finally {
  await browser.close();
  await scene.close();
}
