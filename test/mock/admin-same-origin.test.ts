import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenariosAnswer } from '../../mock/admin/admin-answers.js';
import { startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli, startMockProcess } from '../support/mock-process.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict, TEST_CREDENTIALS } from '../support/predict-request.js';
import { rawRequest } from '../support/raw-http.js';

const image = makeJpeg({ width: 140, height: 140, seed: 7 });

/**
 * One request over a bare socket, so the test chooses the `Host` and `Origin` headers a browser (or a rebinding
 * page) would send; fetch does not let a caller set `Host`.
 */
async function rawAdmin(
  url: string,
  method: string,
  route: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ httpCode: number; headers: Record<string, string>; body: { error?: string } & Record<string, unknown> }> {
  const lines = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  const exchange = await rawRequest({
    url,
    head: `${method} /__admin${route} HTTP/1.1\r\n${lines}\r\n\r\n`,
    chunks: body === '' ? [] : [Buffer.from(body)],
  });
  if (!exchange.answer) throw new Error(`no answer to ${method} ${route} (${exchange.ending})`);
  expect(exchange.answer.headers['content-type']).toMatch(/^application\/json/);
  const { httpCode, headers: answerHeaders, text } = exchange.answer;
  return { httpCode, headers: answerHeaders, body: JSON.parse(text) };
}

const hostOf = (url: string) => new URL(url).host;
const portOf = (url: string) => new URL(url).port;

async function journalSize(url: string): Promise<number> {
  return ((await admin(url, 'GET', '/requests')).body as { requests: unknown[] }).requests.length;
}

async function queued(url: string): Promise<unknown[]> {
  return ((await admin(url, 'GET', '/scenarios')).body as ScenariosAnswer).nextAnswers;
}

describe('the admin API without a token answers only this machine, as JSON, from its own pages', () => {
  const mock = useMock({ allowedHosts: ['mock.test'] });

  it('refuses a rebinding name (Host: evil.example) with 403 JSON, for reads and writes alike', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: TEST_CREDENTIALS, file: image }), 'OK');
    const evil = `evil.example:${portOf(mock.url)}`;
    const read = await rawAdmin(mock.url, 'GET', '/requests', { host: evil });
    expect(read.httpCode).toBe(403);
    expect(read.body.error).toContain('Host "evil.example:');
    expect(read.body.error).toContain('--allowed-host');
    expect(JSON.stringify(read.body)).not.toContain('predict_gender');
    const write = await rawAdmin(mock.url, 'POST', '/reset', { host: evil, 'content-type': 'application/json' });
    expect(write.httpCode).toBe(403);
    expect(await journalSize(mock.url)).toBe(1);
    // The dashboard's files too: the page of a rebinding name gets nothing from under the prefix.
    const ui = await rawRequest({ url: mock.url, head: `GET /__admin/ui HTTP/1.1\r\nhost: ${evil}\r\n\r\n` });
    expect(ui.answer?.httpCode).toBe(403);
  });

  it('answers under the listen address, localhost and an allowed name, and refuses a Host it cannot read', async () => {
    for (const host of [hostOf(mock.url), `localhost:${portOf(mock.url)}`, 'LOCALHOST.', 'mock.test']) {
      expect((await rawAdmin(mock.url, 'GET', '/health', { host })).httpCode, host).toBe(200);
    }
    for (const host of ['127.0.0.2', 'mock.test.evil.example', 'user@127.0.0.1', '']) {
      expect((await rawAdmin(mock.url, 'GET', '/health', { host })).httpCode, host).toBe(403);
    }
  });

  it('refuses a write from another origin with 403 JSON, and takes one from its own origin or none', async () => {
    const json = { host: hostOf(mock.url), 'content-type': 'application/json' };
    const body = '{"status":"OUT_OF_QUOTA"}';
    for (const origin of [
      'http://127.0.0.2:8080',
      'http://evil.example',
      'null',
      `https://evil.example:${portOf(mock.url)}`,
    ]) {
      const refused = await rawAdmin(mock.url, 'POST', '/next', { ...json, origin }, body);
      expect(refused.httpCode, origin).toBe(403);
      expect(refused.body.error).toContain(`the page at ${JSON.stringify(origin)} is refused`);
    }
    expect(await queued(mock.url)).toEqual([]);
    expect((await rawAdmin(mock.url, 'POST', '/next', { ...json, origin: mock.url }, body)).httpCode).toBe(200);
    const viaLocalhost = `http://localhost:${portOf(mock.url)}`;
    expect((await rawAdmin(mock.url, 'POST', '/next', { ...json, origin: viaLocalhost }, body)).httpCode).toBe(200);
    expect((await rawAdmin(mock.url, 'POST', '/next', json, body)).httpCode).toBe(200);
    expect(await queued(mock.url)).toHaveLength(3);
    // Reads are not refused for their Origin: the browser already keeps a foreign page from reading the answer
    // (the admin API sends no CORS headers), and a GET changes nothing.
    const read = await rawAdmin(mock.url, 'GET', '/health', { host: hostOf(mock.url), origin: 'http://evil.example' });
    expect(read.httpCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a write that is not JSON with 415, reset included, and takes a bodyless reset that says JSON', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: TEST_CREDENTIALS, file: image }), 'OK');
    const host = hostOf(mock.url);
    const text = await rawAdmin(
      mock.url,
      'POST',
      '/next',
      { host, 'content-type': 'text/plain' },
      '{"status":"OUT_OF_QUOTA"}',
    );
    expect(text.httpCode).toBe(415);
    expect(text.body.error).toContain('Content-Type: application/json');
    const form = await rawAdmin(
      mock.url,
      'PUT',
      '/keys',
      { host, 'content-type': 'application/x-www-form-urlencoded' },
      'keys=',
    );
    expect(form.httpCode).toBe(415);
    expect(await queued(mock.url)).toEqual([]);
    for (const headers of [{ host }, { host, 'content-type': 'text/plain' }]) {
      const reset = await rawAdmin(mock.url, 'POST', '/reset', headers);
      expect(reset.httpCode).toBe(415);
      expect(reset.body.error).toContain("curl -X POST -H 'content-type: application/json'");
    }
    expect((await rawAdmin(mock.url, 'DELETE', '/requests', { host })).httpCode).toBe(415);
    expect(await journalSize(mock.url)).toBe(1);
    const reset = await rawAdmin(mock.url, 'POST', '/reset', {
      host,
      'content-type': 'application/json; charset=utf-8',
    });
    expect([reset.httpCode, reset.body]).toEqual([200, { reset: true }]);
    expect(await journalSize(mock.url)).toBe(0);
  });

  it('still answers the vendor endpoint under any Host: only the admin API is guarded', async () => {
    const exchange = await rawRequest({
      url: mock.url,
      head: `POST /face/predict_gender HTTP/1.1\r\nhost: cloudapi.accuauth.in\r\ncontent-length: 0\r\n\r\n`,
    });
    expect(exchange.answer?.httpCode).toBe(401);
    expect(JSON.parse(exchange.answer?.text ?? '{}')).toMatchObject({ status: 'UNAUTHORIZED' });
  });
});

describe('with an admin token, the token is the guard', () => {
  const mock = useMock({ adminToken: 'admin-token-for-the-test' });
  const auth = { authorization: 'Bearer admin-token-for-the-test' };

  it('answers under any Host and Origin (a proxy or a container name), and still wants JSON writes', async () => {
    const headers = { ...auth, host: 'mock:4010', origin: 'https://mock.internal', 'content-type': 'application/json' };
    expect((await rawAdmin(mock.url, 'POST', '/next', headers, '{"status":"OUT_OF_QUOTA"}')).httpCode).toBe(200);
    const text = await rawAdmin(mock.url, 'POST', '/reset', { ...headers, 'content-type': 'text/plain' });
    expect(text.httpCode).toBe(415);
    // Without the token, 401 comes first: nothing else is said to a caller who cannot use the API.
    expect((await rawAdmin(mock.url, 'POST', '/reset', { host: 'evil.example' })).httpCode).toBe(401);
  });
});

describe('allowed host names from the config and the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accuauth-allowed-host-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("adds the config file's allowedHosts to startMock's", async () => {
    const config = join(dir, 'hosts.yaml');
    writeFileSync(config, 'allowedHosts: [from-config.test]\n');
    const mock = await startMock({ port: 0, config, allowedHosts: ['from-option.test'] });
    try {
      for (const host of ['from-config.test', 'from-option.test']) {
        expect((await rawAdmin(mock.url, 'GET', '/health', { host })).httpCode, host).toBe(200);
      }
      expect((await rawAdmin(mock.url, 'GET', '/health', { host: 'other.test' })).httpCode).toBe(403);
    } finally {
      await mock.close();
    }
  });

  it('takes --allowed-host NAME (repeatable), and refuses a name with a port, exit 2 naming it', async () => {
    const mock = await startMockProcess({ args: ['--allowed-host', 'one.test', '--allowed-host', 'two.test'] });
    try {
      for (const host of ['one.test', 'two.test:1234']) {
        expect((await rawAdmin(mock.url, 'GET', '/health', { host })).httpCode, host).toBe(200);
      }
      expect((await rawAdmin(mock.url, 'GET', '/health', { host: 'three.test' })).httpCode).toBe(403);
    } finally {
      await mock.stop();
    }
    const refused = await runCli(['mock', '--port', '0', '--allowed-host', 'one.test:80']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--allowed-host');
    expect(refused.stdout).toBe('');
  });
});
