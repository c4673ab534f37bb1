import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { chromiumForTests, type HeadlessBrowser, launchHeadlessBrowser } from '../support/headless-browser.js';
import { startMockProcess } from '../support/mock-process.js';
import { admin } from '../support/mock-server.js';
import { type Answer, callPredict } from '../support/predict-request.js';

// A web app under development runs on another origin than the mock, so its browser asks first (preflight), then
// sends the call with an Origin. These are the headers Chromium sends for a fetch with the two credential headers.
const ORIGIN = 'http://localhost:5173';
const KEY = { id: 'browser-key', secret: 'browser-secret-0123' };
const CREDENTIALS = { 'x-df-api-id': KEY.id, 'x-df-api-secret': KEY.secret };
const file = makeJpeg({ width: 160, height: 160 });

function preflight(url: string, requestHeaders = 'x-df-api-id,x-df-api-secret'): Promise<Answer> {
  return callPredict(url, {
    method: 'OPTIONS',
    credentials: false,
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
      'sec-fetch-mode': 'cors',
    },
  });
}

/** The browser's CORS check of a preflight (Fetch standard, "CORS-preflight fetch"), for a POST with `headers`. */
function browserAllows(answer: Answer, headers: readonly string[]): string | undefined {
  if (answer.httpCode < 200 || answer.httpCode > 299) return `preflight answered ${answer.httpCode}`;
  const origin = answer.headers['access-control-allow-origin'];
  if (origin !== ORIGIN && origin !== '*') return `Access-Control-Allow-Origin is ${origin}`;
  const methods = (answer.headers['access-control-allow-methods'] ?? '').split(/\s*,\s*/);
  if (!methods.includes('POST') && !methods.includes('*')) return `POST not among methods ${methods}`;
  const allowed = (answer.headers['access-control-allow-headers'] ?? '').toLowerCase().split(/\s*,\s*/);
  const missing = headers.filter((name) => !allowed.includes(name.toLowerCase()));
  return missing.length > 0 ? `headers not allowed: ${missing.join(', ')}` : undefined;
}

const mocks: RunningMock[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'accuauth-cors-'));
afterAll(async () => {
  for (const mock of mocks) await mock.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('CORS, on by default', () => {
  it("a browser's preflight then its call: allowed, and the call gets the vendor's answer with CORS headers", async () => {
    const mock = await startMock({ config: { keys: [{ ...KEY }] } });
    mocks.push(mock);
    const asked = await preflight(mock.url, 'prefer,x-df-api-id,x-df-api-secret,x-test-case');
    expect(asked.httpCode).toBe(204);
    expect(asked.text).toBe('');
    expect(browserAllows(asked, ['x-df-api-id', 'x-df-api-secret', 'prefer', 'x-test-case'])).toBeUndefined();
    // The names come from the spec's security schemes, as the spec spells them.
    expect(asked.headers['access-control-allow-headers']).toMatch(/^X-DF-API-ID, X-DF-API-SECRET, /);
    expect(asked.headers.vary).toMatch(/Origin/);

    const call = await callPredict(mock.url, { file, credentials: CREDENTIALS, headers: { origin: ORIGIN } });
    expectAnswer(call, 'OK');
    const raw = await callPredict(mock.url, { credentials: false, headers: { origin: ORIGIN } });
    expectAnswer(raw, 'UNAUTHORIZED', { httpCode: 401 });
    expect(raw.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(raw.headers['access-control-allow-credentials']).toBe('true');
  });

  it('a preflight is never journaled, nor counted against quota or rate', async () => {
    const mock = await startMock({ config: { keys: [{ ...KEY, quota: 1, rateLimit: 1 }] } });
    mocks.push(mock);
    for (let i = 0; i < 3; i += 1) expect((await preflight(mock.url)).httpCode).toBe(204);
    // Counted, any preflight would have spent the one call of the quota or of the rate window.
    expectAnswer(await callPredict(mock.url, { file, credentials: CREDENTIALS, headers: { origin: ORIGIN } }), 'OK');
    expect((await preflight(mock.url)).httpCode).toBe(204);
    // The one call was spent by the POST: the next is refused (rate or quota, whichever stage comes first).
    const next = await callPredict(mock.url, { file, credentials: CREDENTIALS, headers: { origin: ORIGIN } });
    expectAnswer(next, ['RATE_LIMIT_EXCEEDED', 'OUT_OF_QUOTA']);
    const journal = await mock.journal.list();
    expect(journal.requests.map((entry) => `${entry.method} ${entry.httpCode}`)).toEqual(['POST 200', 'POST 403']);
  });

  it('an OPTIONS that is not a preflight is an ordinary request: the JSON NOT_FOUND, journaled', async () => {
    const mock = await startMock();
    mocks.push(mock);
    const answer = await callPredict(mock.url, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expectAnswer(answer, 'NOT_FOUND');
    expect((await mock.journal.list()).requests.map((entry) => entry.method)).toEqual(['OPTIONS']);
  });

  it('leaves the admin API alone: no page on another origin may read the journal', async () => {
    const mock = await startMock();
    mocks.push(mock);
    const answer = await admin(mock.url, 'GET', '/requests', undefined, { origin: ORIGIN });
    expect(answer.httpCode).toBe(200);
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
  });
});

describe('CORS off', () => {
  const expectOff = async (url: string) => {
    const asked = await preflight(url);
    expect(browserAllows(asked, ['x-df-api-id', 'x-df-api-secret'])).toBe('preflight answered 404');
    expect(asked.headers).not.toHaveProperty('access-control-allow-origin');
    const call = await callPredict(url, { file, headers: { origin: ORIGIN } });
    expectAnswer(call, 'OK');
  };

  it('startMock({ cors: false })', async () => {
    const mock = await startMock({ cors: false });
    mocks.push(mock);
    await expectOff(mock.url);
    // With CORS off the preflight is what it is to the vendor: a request for another method, journaled.
    expect((await mock.journal.list()).requests.map((entry) => entry.method)).toEqual(['OPTIONS', 'POST']);
  });

  it('the config file: cors: false', async () => {
    const path = join(scratch, 'no-cors.yaml');
    writeFileSync(path, 'cors: false\n');
    const mock = await startMock({ config: path });
    mocks.push(mock);
    await expectOff(mock.url);
  });

  it('the CLI: accuauth-kit mock --no-cors', async () => {
    const mock = await startMockProcess({ args: ['--no-cors'] });
    try {
      await expectOff(mock.url);
    } finally {
      expect(await mock.stop()).toBe(0);
    }
  });

  it('the CLI without the flag serves CORS', async () => {
    const mock = await startMockProcess();
    try {
      expect(browserAllows(await preflight(mock.url), ['x-df-api-id', 'x-df-api-secret'])).toBeUndefined();
    } finally {
      expect(await mock.stop()).toBe(0);
    }
  });
});

const chromium = chromiumForTests('CORS in a real browser');

describe.skipIf(!chromium.found)('CORS in a real browser (headless Chromium)', () => {
  let page: Server;
  let pageUrl: string;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    if (!chromium.found) return;
    // The web app: a page on its own origin (another port of loopback).
    page = createServer((_req, res) =>
      res.setHeader('content-type', 'text/html').end('<!doctype html><title>app</title>'),
    );
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await launchHeadlessBrowser(chromium.path);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.close(resolve));
  });

  /** The web app's call: fetch with the credential headers and an image as multipart, from the page's origin. */
  async function callFromPage(mockUrl: string): Promise<{ status?: number; body?: unknown; error?: string }> {
    const tab = await browser.context.newPage();
    try {
      await tab.goto(pageUrl);
      return await tab.evaluate(
        async ({ url, credentials, bytes }) => {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'face.jpg');
          try {
            const answer = await fetch(url, { method: 'POST', headers: credentials, body: form });
            return { status: answer.status, body: await answer.json() };
          } catch (error) {
            return { error: String(error) };
          }
        },
        { url: `${mockUrl}${PREDICT_GENDER_PATH}`, credentials: CREDENTIALS, bytes: [...file] },
      );
    } finally {
      await tab.close();
    }
  }

  it('a page on another origin calls the mock: preflight, then the answer, and only the call is journaled', async () => {
    const mock = await startMock({ config: { keys: [{ ...KEY, quota: 1 }] } });
    mocks.push(mock);
    const seen = await callFromPage(mock.url);
    expect(seen.error).toBeUndefined();
    expect(seen.status).toBe(200);
    expect((seen.body as { status: string }).status).toBe('OK');
    expect((await mock.journal.list()).requests.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST OK']);
    expect(browser.offLoopbackRequests).toEqual([]);
  });

  it('with --no-cors the browser refuses: the page cannot read the answer', async () => {
    const mock = await startMock({ config: { keys: [{ ...KEY }] }, cors: false });
    mocks.push(mock);
    const seen = await callFromPage(mock.url);
    expect(seen.status).toBeUndefined();
    expect(seen.error).toMatch(/Failed to fetch/);
  });
});
