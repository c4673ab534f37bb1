import { describe, expect, it } from 'vitest';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { harSchemaErrors } from '../support/har-validator.js';
import { useMock } from '../support/mock-server.js';
import { callPredict, TEST_CREDENTIALS, TEST_SECRET } from '../support/predict-request.js';
import { rawRequest } from '../support/raw-http.js';

const image = makeJpeg({ width: 160, height: 160, seed: 22 });
const KEY = { id: TEST_CREDENTIALS['X-DF-API-ID'], secret: TEST_SECRET };
/** A secret sent under a header name the vendor does not use: the journal must not keep it either. */
const STRAY_SECRET = 'stray-secret-9a7b3c5d1e';

interface HarLog {
  log: {
    version: string;
    creator: { name: string };
    entries: {
      request: {
        method: string;
        url: string;
        headers: { name: string; value: string }[];
        queryString: { name: string; value: string }[];
        postData?: { mimeType: string; params: { name: string; comment?: string }[] };
      };
      response: { status: number; content: { mimeType: string; text: string } };
      _accuauth: { status: string; decidedBy: string };
    }[];
  };
}

async function fetchHar(
  url: string,
  query = '',
): Promise<{ status: number; disposition: string | null; text: string }> {
  const response = await fetch(`${url}/__admin/requests.har${query}`);
  return {
    status: response.status,
    disposition: response.headers.get('content-disposition'),
    text: await response.text(),
  };
}

describe('GET /__admin/requests.har: the journal as HAR 1.2', () => {
  const mock = useMock({ config: { keys: [KEY] } });

  async function sendTraffic(): Promise<void> {
    expect((await callPredict(mock.url, { file: image })).httpCode).toBe(200);
    const base64 = Buffer.from(image).toString('base64');
    expect((await callPredict(mock.url, { imageBase64: base64, urlencoded: true })).httpCode).toBe(200);
    expect(
      (await callPredict(mock.url, { file: image, credentials: false, headers: { 'X-Api-Key': STRAY_SECRET } }))
        .httpCode,
    ).toBe(401);
    expect((await callPredict(mock.url, { path: '/face/nowhere?lang=en', method: 'GET' })).httpCode).toBe(404);
  }

  it('is valid against the HAR 1.2 JSON Schema and says what the mock saw and answered, without a secret', async () => {
    await sendTraffic();
    const har = await fetchHar(mock.url);
    expect(har.status).toBe(200);
    expect(har.disposition).toBe('attachment; filename="accuauth-mock-requests.har"');
    const parsed = JSON.parse(har.text) as HarLog;
    expect(harSchemaErrors(parsed)).toEqual([]);
    expect(parsed.log.version).toBe('1.2');
    expect(har.text).not.toContain(TEST_SECRET);
    expect(har.text).not.toContain(STRAY_SECRET);

    const entries = parsed.log.entries;
    expect(entries.map((entry) => [entry.request.method, entry.response.status, entry._accuauth.status])).toEqual([
      ['POST', 200, 'OK'],
      ['POST', 200, 'OK'],
      ['POST', 401, 'UNAUTHORIZED'],
      ['GET', 404, 'NOT_FOUND'],
    ]);
    const [upload, urlencoded, refused, lost] = entries as [
      HarLog['log']['entries'][number],
      ...HarLog['log']['entries'],
    ];
    expect(upload.request.url).toBe(`${mock.url}${PREDICT_GENDER_PATH}`);
    const header = (name: string, entry = upload) =>
      entry.request.headers.find((h) => h.name === name.toLowerCase())?.value;
    expect(header('X-DF-API-ID')).toBe(KEY.id);
    expect(header('X-DF-API-SECRET')).toBe('[REDACTED]');
    expect(header('X-Api-Key', refused)).toBe('[REDACTED]');
    expect(upload.request.postData?.mimeType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.request.postData?.params).toEqual([
      {
        name: 'file',
        value: '',
        comment: `image not kept: ${image.length} bytes, jpeg, 160x160, sha256 ${imageSha256(image)}`,
      },
    ]);
    expect(urlencoded?.request.postData?.params[0]?.name).toBe('image_base64');
    // The journal keeps the path without its query string; HAR says so with an empty list.
    expect(lost?.request.url).toBe(`${mock.url}/face/nowhere`);
    expect(lost?.request.queryString).toEqual([]);
    // The answer as sent: the body a client got, with its request_id.
    const answer = JSON.parse(upload.response.content.text) as { status: string; request_id: string };
    expect(upload.response.content.mimeType).toBe('application/json');
    expect(answer.status).toBe('OK');
    expect(answer.request_id).toMatch(/^TID[0-9a-f]{32}$/);
  });

  it("takes the journal's filters: ?status=401 keeps the refusals only", async () => {
    await sendTraffic();
    const parsed = JSON.parse((await fetchHar(mock.url, '?status=401')).text) as HarLog;
    expect(harSchemaErrors(parsed)).toEqual([]);
    expect(parsed.log.entries.map((entry) => entry._accuauth.status)).toEqual(['UNAUTHORIZED']);
    const wrong = await fetchHar(mock.url, '?status=NOPE');
    expect(wrong.status).toBe(400);
  });

  it("keeps the admin API's same-origin rules: another Host gets 403; no other site's page may read it", async () => {
    await sendTraffic();
    const port = new URL(mock.url).port;
    const ask = async (headers: Record<string, string>) => {
      const lines = Object.entries({ ...headers, connection: 'close' })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      const exchange = await rawRequest({
        url: mock.url,
        head: `GET /__admin/requests.har HTTP/1.1\r\n${lines}\r\n\r\n`,
      });
      if (!exchange.answer) throw new Error(`no answer (${exchange.ending})`);
      return exchange.answer;
    };
    const rebound = await ask({ host: `evil.example:${port}` });
    expect(rebound.httpCode).toBe(403);
    expect(rebound.text).not.toContain('"entries"');
    // A read carries no risk of change; the browser keeps another site's page from reading it, as no CORS header
    // lets it.
    const crossSite = await ask({ host: `127.0.0.1:${port}`, origin: 'https://evil.example' });
    expect(crossSite.headers['access-control-allow-origin']).toBeUndefined();
  });
});
