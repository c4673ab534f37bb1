import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const image = makeJpeg({ width: 140, height: 140, seed: 31 });
const SECRET = 'super-secret-value-1234';
const credentials = { 'x-df-api-id': 'k1', 'x-df-api-secret': SECRET };

describe('admin API under /__admin', () => {
  const mock = useMock({ config: { keys: [{ id: 'k1', secret: SECRET, quota: 1 }], journal: { limit: 3 } } });

  it('GET /health answers JSON', async () => {
    const health = await admin(mock.url, 'GET', '/health');
    expect(health.httpCode).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(health.body).toMatchObject({ status: 'up' });
  });

  it('the journal keeps the last requests, secrets redacted; DELETE clears it', async () => {
    await admin(mock.url, 'DELETE', '/requests');
    const sent = expectAnswer(
      await callPredict(mock.url, { credentials, file: image, headers: { 'x-trace': 't1' } }),
      'OK',
    );
    const { body } = (await admin(mock.url, 'GET', '/requests')) as { body: { requests: Record<string, unknown>[] } };
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(body.requests).toHaveLength(1);
    expect(body.requests[0]).toMatchObject({
      method: 'POST',
      path: '/face/predict_gender',
      status: 'OK',
      httpCode: 200,
      requestId: sent.request_id,
      headers: { 'x-df-api-id': 'k1', 'x-df-api-secret': '[REDACTED]', 'x-trace': 't1' },
      body: { kind: 'form', contentType: 'multipart', field: 'file', imageBytes: image.byteLength },
    });
    for (let call = 0; call < 5; call += 1) await callPredict(mock.url, { credentials: false });
    const bounded = (await admin(mock.url, 'GET', '/requests')).body as { requests: unknown[]; total: number };
    expect(bounded.requests).toHaveLength(3);
    expect(bounded.total).toBe(6);
    expect((await admin(mock.url, 'DELETE', '/requests')).body).toEqual({ cleared: 3 });
    expect(((await admin(mock.url, 'GET', '/requests')).body as { requests: unknown[] }).requests).toEqual([]);
  });

  it('POST /reset restores the quota', async () => {
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OK');
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OUT_OF_QUOTA');
    expect((await admin(mock.url, 'POST', '/reset')).body).toEqual({ reset: true });
    // The whole quota again, and not one call more.
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OK');
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OUT_OF_QUOTA');
  });

  it('PUT /scenarios replaces the scenarios at runtime; a bad body is 400 naming the path, state untouched', async () => {
    const put = await admin(mock.url, 'PUT', '/scenarios', {
      scenarios: [{ match: { keyId: 'k1' }, sequence: [{ status: 'DETECTION_FAILED' }] }],
    });
    expect(put.httpCode).toBe(200);
    const bad = await admin(mock.url, 'PUT', '/scenarios', { scenarios: [{ respond: { status: 'NOPE' } }] });
    expect(bad.httpCode).toBe(400);
    expect(bad.body).toEqual({ error: expect.stringMatching(/^scenarios\[0\]\.respond\.status must be one of/) });
    expect((await admin(mock.url, 'PUT', '/scenarios', 'not json{')).httpCode).toBe(400);
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'DETECTION_FAILED');
  });

  it('PUT /keys replaces the keys ("k1 has exhausted its quota"); GET /config shows them redacted', async () => {
    const put = await admin(mock.url, 'PUT', '/keys', { keys: [{ id: 'k1', secret: SECRET, quota: 0 }] });
    expect(put.httpCode).toBe(200);
    expectAnswer(await callPredict(mock.url, { credentials, file: image }), 'OUT_OF_QUOTA');
    const config = await admin(mock.url, 'GET', '/config');
    expect(config.body).toMatchObject({ keys: [{ id: 'k1', secret: '[REDACTED]', quota: 0 }] });
    expect(JSON.stringify(config.body)).not.toContain(SECRET);
    const bad = await admin(mock.url, 'PUT', '/keys', { keys: [{ id: 'k1' }] });
    expect(bad.body).toEqual({ error: 'keys[0] must have the property "secret"' });
    await admin(mock.url, 'PUT', '/keys', { keys: null });
    expectAnswer(
      await callPredict(mock.url, { credentials: { 'x-df-api-id': 'a', 'x-df-api-secret': 'b' }, file: image }),
      'OK',
    );
  });

  it('an unknown admin route is a JSON 404', async () => {
    const answer = await admin(mock.url, 'GET', '/nope');
    expect(answer.httpCode).toBe(404);
    expect(answer.body).toEqual({ error: 'no admin route GET /__admin/nope' });
  });
});
