/**
 * Writes docs/dashboard.png, the README's picture of the dashboard (journal, image, control, coverage and audit): the browser test's mock and traffic
 * (test/support/dashboard-scene.ts), the page opened in Debian's Chromium at 1280x800. Run by hand
 * (`npm run docs:dashboard-screenshot`) when the page changes; `npm test` never rewrites the committed copy.
 */
import { sendSceneTraffic, startDashboardMock } from '../test/support/dashboard-scene.js';
import { findChromium, launchHeadlessBrowser } from '../test/support/headless-browser.js';

const OUT = new URL('../docs/dashboard.png', import.meta.url);

const chromium = findChromium();
if (!chromium.found) {
  console.error(`dashboard screenshot: ${chromium.reason}`);
  process.exit(2);
}
const mock = await startDashboardMock();
const browser = await launchHeadlessBrowser(chromium.path);
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${mock.url}/__admin/ui`);
  await page.locator('#connection[data-state="live"]').waitFor();
  await sendSceneTraffic(mock.url);
  await page.locator('#calls tbody tr').nth(6).waitFor();
  await page.locator('#preview-img:not([hidden])').waitFor();
  await page.locator('#preview-box rect').waitFor();
  // The coverage and audit strip reads its panel at most every 300 ms: wait until it has counted every call.
  await page.locator('#judgement-since', { hasText: ' 7 calls' }).waitFor();
  await page.screenshot({ path: OUT.pathname });
  console.log(`wrote ${OUT.pathname}`);
} finally {
  await browser.close();
  await mock.close();
}
