import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenariosAnswer } from '../../mock/admin/admin-answers.js';
import type { RunningMock } from '../../mock/index.js';
import { SCENE_CREDENTIALS, sceneImage, startDashboardMock } from '../support/dashboard-scene.js';
import { expectAnswer } from '../support/documented-answer.js';
import { chromiumForTests, type HeadlessBrowser, launchHeadlessBrowser } from '../support/headless-browser.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

/**
 * What a developer's open browser can do to a mock on their laptop that has no admin token: a page of another site
 * (served here from 127.0.0.2, another loopback origin) tries what needs no permission from the browser, a
 * `no-cors` fetch and a `<form enctype="text/plain">`; the dashboard on the mock's own origin must keep working.
 */
const chromium = chromiumForTests('cross-site admin browser tests');

/** A site that is not the mock: one page whose form posts a JSON-looking text body to the mock's admin API. */
function crossSitePage(mockUrl: string): string {
  // A text/plain form sends `name=value`: this name and value make the body `{"status":"OUT_OF_QUOTA","x":"="}`.
  return `<!doctype html><title>another site</title>
<form id="attack" method="POST" enctype="text/plain" action="${mockUrl}/__admin/next">
  <input type="hidden" name='{"status":"OUT_OF_QUOTA","x":"' value='"}'>
</form>`;
}

async function queued(url: string): Promise<unknown[]> {
  return ((await admin(url, 'GET', '/scenarios')).body as ScenariosAnswer).nextAnswers;
}

async function journalSize(url: string): Promise<number> {
  return ((await admin(url, 'GET', '/requests')).body as { requests: unknown[] }).requests.length;
}

describe.skipIf(!chromium.found)('the admin API refuses a page of another site, in a real browser', () => {
  let mock: RunningMock;
  let site: Server;
  let siteUrl: string;
  let browser: HeadlessBrowser;
  /** What the mock answered each admin request the browser sent (opaque to the page, visible to the test). */
  const adminAnswers: { method: string; path: string; status: number }[] = [];

  beforeAll(async () => {
    if (!chromium.found) return;
    mock = await startDashboardMock();
    site = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(crossSitePage(mock.url)),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
    siteUrl = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;
    browser = await launchHeadlessBrowser(chromium.path);
    browser.context.on('response', (response: Response) => {
      const url = new URL(response.url());
      if (url.origin === mock.url && url.pathname.startsWith('/__admin/') && response.request().method() !== 'GET') {
        adminAnswers.push({ method: response.request().method(), path: url.pathname, status: response.status() });
      }
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  async function openCrossSitePage(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(siteUrl);
    return page;
  }

  it('cannot queue an answer or reset with a no-cors fetch or a beacon: each reaches the mock and is refused 403', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: SCENE_CREDENTIALS, file: sceneImage(1) }), 'OK');
    adminAnswers.length = 0;
    const page = await openCrossSitePage();
    const sent = await page.evaluate(async (target) => {
      const calls = [
        fetch(`${target}/__admin/next`, { method: 'POST', mode: 'no-cors', body: '{"status":"OUT_OF_QUOTA"}' }),
        fetch(`${target}/__admin/reset`, { method: 'POST', mode: 'no-cors' }),
        fetch(`${target}/__admin/reset`, { method: 'POST', mode: 'no-cors', body: '{}' }),
      ];
      const types = (await Promise.all(calls)).map((response) => response.type);
      // A beacon is another request a page may send anywhere without asking: a text/plain POST.
      return [...types, navigator.sendBeacon(`${target}/__admin/next`, '{"status":"KEY_EXPIRED"}')];
    }, mock.url);
    // The browser sent all four without asking (that is the danger); the mock is what says no.
    expect(sent).toEqual(['opaque', 'opaque', 'opaque', true]);
    await expect.poll(() => adminAnswers.length).toBe(4);
    expect(adminAnswers.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect(await queued(mock.url)).toEqual([]);
    expect(await journalSize(mock.url)).toBe(1);
    await page.close();
  });

  it('cannot queue an answer with a <form enctype="text/plain">: the mock answers 403 and queues nothing', async () => {
    const page = await openCrossSitePage();
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url() === `${mock.url}/__admin/next`),
      page.locator('#attack').evaluate((form: HTMLFormElement) => form.submit()),
    ]);
    expect(answer.status()).toBe(403);
    expect(await answer.json()).toMatchObject({
      error: expect.stringContaining(`the page at "${siteUrl}" is refused`),
    });
    expect(await queued(mock.url)).toEqual([]);
    await page.close();
  });

  it('cannot read the journal: the browser gives the page no answer', async () => {
    const page = await openCrossSitePage();
    const read = await page.evaluate(async (target) => {
      try {
        const response = await fetch(`${target}/__admin/requests`);
        return `read ${response.status}: ${await response.text()}`;
      } catch (error) {
        return `refused: ${(error as Error).name}`;
      }
    }, mock.url);
    expect(read).toBe('refused: TypeError');
    const opaque = await page.evaluate(async (target) => {
      const response = await fetch(`${target}/__admin/requests`, { mode: 'no-cors' });
      return { type: response.type, text: await response.text() };
    }, mock.url);
    expect(opaque).toEqual({ type: 'opaque', text: '' });
    await page.close();
  });

  it("while the dashboard on the mock's own origin queues an answer and resets", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mock.url}/__admin/ui`);
    await page.locator('#connection[data-state="live"]').waitFor();
    const status = await page.evaluate(async () => {
      const response = await fetch('/__admin/next', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"status":"OUT_OF_QUOTA"}',
      });
      return response.status;
    });
    expect(status).toBe(200);
    expect(await queued(mock.url)).toHaveLength(1);
    expect(await journalSize(mock.url)).toBe(1);
    await page.locator('#reset').click();
    await expect.poll(() => journalSize(mock.url)).toBe(0);
    expect(await queued(mock.url)).toEqual([]);
    await page.close();
  });
});
