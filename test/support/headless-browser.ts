import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * The one way tests drive a real browser: Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) through
 * playwright-core, so nothing is downloaded at run time. `.ci/run` installs the `chromium` package; where it is
 * missing, the browser tests skip and print why.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, isolated browser: no sandbox (containers lack the namespaces it needs), no GPU, and none of
 * Chromium's own traffic (QUIC, component updates, sync, background fetches), so a test touches nothing but
 * loopback and files.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumLookup = { found: true; path: string } | { found: false; reason: string };

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
    return { found: true, path };
  } catch {
    const from = env.CHROMIUM_PATH ? 'CHROMIUM_PATH' : 'the default path';
    return {
      found: false,
      reason: `no executable Chromium at ${path} (${from}); install Debian's chromium package or set CHROMIUM_PATH`,
    };
  }
}

/**
 * Finds Chromium for a test file and, when there is none, prints why the file's browser tests skip: a skipped
 * test must say so, never pass silently. Use the result with `describe.skipIf(!chromium.found)`.
 */
export function chromiumForTests(what: string): ChromiumLookup {
  const lookup = findChromium();
  if (!lookup.found) console.warn(`${what}: skipped, ${lookup.reason}`);
  return lookup;
}

export interface HeadlessBrowser {
  context: BrowserContext;
  /** Every request the pages asked for that was neither a file nor loopback; each was refused. */
  offLoopbackRequests: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile directory (removed on close). Any request a page makes off loopback is
 * refused and recorded, so a test can prove a page needs no network.
 */
export async function launchHeadlessBrowser(executablePath: string): Promise<HeadlessBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'accuauth-chromium-'));
  const offLoopbackRequests: string[] = [];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local =
      url.protocol === 'file:' ||
      url.protocol === 'data:' ||
      ['[::1]', 'localhost'].includes(url.hostname) ||
      // All of 127.0.0.0/8: a test serves "another site" from 127.0.0.2.
      /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
    if (local) return route.continue();
    offLoopbackRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    offLoopbackRequests,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page on the mock's dashboard, once its event stream is live (calls sent from then on appear as rows). */
export async function openLiveDashboard(browser: HeadlessBrowser, mockUrl: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${mockUrl}/__admin/ui`);
  await page.locator('#connection[data-state="live"]').waitFor();
  return page;
}
