import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, type Scenario, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const image = makeJpeg({ width: 200, height: 160, seed: 7 });
const SECRET = 'views-secret-value-5678';
const k1 = { 'x-df-api-id': 'k1', 'x-df-api-secret': SECRET };
const k2 = { 'x-df-api-id': 'k2', 'x-df-api-secret': 'k2-secret-value' };
const KEYS = [
  { id: 'k1', secret: SECRET, quota: 3, rateLimit: 50 },
  { id: 'k2', secret: 'k2-secret-value' },
  { id: 'old', secret: 'old-secret-value', expiresAt: '2020-01-01T00:00:00Z', permission: false },
];
const SCENARIOS: Scenario[] = [
  { name: 'flaky', match: { keyId: 'k2' }, sequence: [{ status: 'OK' }, { status: 'DETECTION_FAILED' }] },
];

type Json = Record<string, unknown>;

describe('the admin API a WireMock user expects', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ port: 0, config: { keys: KEYS, scenarios: SCENARIOS } });
  });
  afterAll(() => mock.close());
  // Each test from a known state: the configured keys and scenarios, counters, journal and queue forgotten.
  beforeEach(async () => {
    await admin(mock.url, 'PUT', '/keys', { keys: KEYS });
    await admin(mock.url, 'PUT', '/scenarios', { scenarios: SCENARIOS });
    await admin(mock.url, 'PUT', '/settings', { latency: null, faults: null });
    await admin(mock.url, 'POST', '/reset');
  });

  it('GET /keys shows quota used and left, the rate window, expiry and permission, never a secret', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: k1, file: image }), 'OK');
    expectAnswer(await callPredict(mock.url, { credentials: k1, file: image }), 'OK');
    const { httpCode, body } = await admin(mock.url, 'GET', '/keys');
    expect(httpCode).toBe(200);
    expect(JSON.stringify(body)).not.toContain('secret-value');
    expect(body).toEqual({
      anyPairAccepted: false,
      keys: [
        expect.objectContaining({ id: 'k1', quota: 3, callsUsed: 2, callsLeft: 1, rateLimit: 50, rateWindowMs: 1000 }),
        expect.objectContaining({ id: 'k2', quota: null, callsUsed: 0, callsLeft: null, expired: false }),
        expect.objectContaining({ id: 'old', expired: true, permission: false, expiresAt: '2020-01-01T00:00:00Z' }),
      ],
    });
    expect((body as { keys: Json[] }).keys[0]?.callsInWindow).toBeGreaterThanOrEqual(1);
  });

  it('GET /scenarios shows where each sequence stands, and the queued next answers', async () => {
    const before = (await admin(mock.url, 'GET', '/scenarios')).body as { scenarios: Json[]; nextAnswers: unknown[] };
    expect(before.scenarios[0]).toMatchObject({ label: 'flaky', nextStep: 0, loop: false });
    expectAnswer(await callPredict(mock.url, { credentials: k2, file: image }), 'OK');
    const after = (await admin(mock.url, 'GET', '/scenarios')).body as { scenarios: Json[] };
    expect(after.scenarios[0]).toMatchObject({ nextStep: 1 });
    expectAnswer(await callPredict(mock.url, { credentials: k2, file: image }), 'DETECTION_FAILED');
    const usedUp = (await admin(mock.url, 'GET', '/scenarios')).body as { scenarios: Json[] };
    expect(usedUp.scenarios[0]).toMatchObject({ nextStep: null });
  });

  it('POST /next queues a next answer, ahead of the scenarios, once; the journal names it; bad bodies are 400', async () => {
    expect((await admin(mock.url, 'POST', '/next', { status: 'OUT_OF_QUOTA' })).body).toEqual({ queued: 1 });
    expect((await admin(mock.url, 'POST', '/next', { status: 'INTERNAL_ERROR', reason: 'down' })).body).toEqual({
      queued: 2,
    });
    expect(((await admin(mock.url, 'GET', '/scenarios')).body as { nextAnswers: unknown[] }).nextAnswers).toEqual([
      { status: 'OUT_OF_QUOTA' },
      { status: 'INTERNAL_ERROR', reason: 'down' },
    ]);
    expectAnswer(await callPredict(mock.url, { credentials: k2, file: image }), 'OUT_OF_QUOTA');
    const second = expectAnswer(await callPredict(mock.url, { credentials: k2, file: image }), 'INTERNAL_ERROR');
    expect(second.reason).toBe('down');
    // The journal names a next answer as the admin API and the code do.
    const journal = (await admin(mock.url, 'GET', '/requests')).body as { requests: Json[] };
    expect(journal.requests.map((entry) => entry.scenario)).toEqual(['next answer', 'next answer']);
    // The scenario's sequence was not touched by the queued answers.
    expectAnswer(await callPredict(mock.url, { credentials: k2, file: image }), 'OK');
    const bad = await admin(mock.url, 'POST', '/next', { status: 'NOPE' });
    expect(bad.httpCode).toBe(400);
    expect(bad.body).toEqual({ error: expect.stringMatching(/^status must be one of OK, INVALID_ARGUMENT/) });
    expect((await admin(mock.url, 'POST', '/next', { reason: 'x' })).body).toEqual({
      error: 'the body must have the property "status"',
    });
  });

  it('the journal carries key id, image facts, the deciding stage, latency and the answer; filters and count', async () => {
    await admin(mock.url, 'PUT', '/settings', { latency: { ms: 5 } });
    const ok = expectAnswer(await callPredict(mock.url, { credentials: k1, file: image }), 'OK');
    await admin(mock.url, 'PUT', '/settings', { latency: null });
    const since = new Date().toISOString();
    expectAnswer(await callPredict(mock.url, { credentials: { ...k1, 'x-df-api-secret': 'wrong' } }), 'UNAUTHORIZED');
    expectAnswer(
      await callPredict(mock.url, { credentials: k1, headers: { prefer: 'example=NOT_FOUND' } }),
      'NOT_FOUND',
    );
    const all = (await admin(mock.url, 'GET', '/requests')).body as { requests: Json[] };
    expect(JSON.stringify(all)).not.toContain(SECRET);
    expect(all.requests[0]).toMatchObject({
      keyId: 'k1',
      decidedBy: 'derived',
      latencyMs: 5,
      status: 'OK',
      body: { field: 'file', imageFormat: 'jpeg', width: 200, height: 160, imageBytes: image.byteLength },
      answer: ok,
    });
    expect(all.requests.map((entry) => entry.decidedBy)).toEqual(['derived', 'credentials', 'prefer']);

    const byStatus = (await admin(mock.url, 'GET', '/requests?status=UNAUTHORIZED')).body as { requests: Json[] };
    expect(byStatus.requests.map((entry) => entry.status)).toEqual(['UNAUTHORIZED']);
    const byCode = (await admin(mock.url, 'GET', '/requests?status=404')).body as { requests: Json[] };
    expect(byCode.requests.map((entry) => entry.status)).toEqual(['NOT_FOUND']);
    const bySince = (await admin(mock.url, 'GET', `/requests?since=${encodeURIComponent(since)}&keyId=k1`)).body as {
      requests: Json[];
    };
    expect(bySince.requests.map((entry) => entry.status)).toEqual(['UNAUTHORIZED', 'NOT_FOUND']);

    expect((await admin(mock.url, 'POST', '/requests/count', { keyId: 'k1' })).body).toEqual({ count: 3 });
    expect((await admin(mock.url, 'POST', '/requests/count', { status: 'OK', keyId: 'k2' })).body).toEqual({
      count: 0,
    });
    expect((await admin(mock.url, 'POST', '/requests/count', { decidedBy: 'prefer' })).body).toEqual({ count: 1 });
    // An HTTP code as a JSON number counts as its text does.
    expect((await admin(mock.url, 'POST', '/requests/count', { status: 401 })).body).toEqual({ count: 1 });
    expect((await admin(mock.url, 'POST', '/requests/count', { status: '404' })).body).toEqual({ count: 1 });
    expect((await admin(mock.url, 'POST', '/requests/count', { status: 200, keyId: 'k1' })).body).toEqual({
      count: 1,
    });
    const unusedCode = await admin(mock.url, 'POST', '/requests/count', { status: 418 });
    expect(unusedCode).toMatchObject({
      httpCode: 400,
      body: { error: expect.stringMatching(/^status must be a status value .* or an HTTP code they use$/) },
    });
    const badSince = await admin(mock.url, 'GET', '/requests?since=yesterday');
    expect(badSince).toMatchObject({
      httpCode: 400,
      body: { error: 'since must be an ISO 8601 instant, got "yesterday"' },
    });
    const badField = await admin(mock.url, 'POST', '/requests/count', { colour: 'red' });
    expect(badField.httpCode).toBe(400);
    expect(badField.body).toEqual({ error: expect.stringMatching(/^unknown filter "colour"/) });
  });

  it('PUT /settings changes latency and faults at run time; a bad one is 400 and changes nothing', async () => {
    expect((await admin(mock.url, 'PUT', '/settings', { faults: { internalErrorRate: 1 } })).body).toEqual({
      latency: null,
      faults: { internalErrorRate: 1 },
    });
    expectAnswer(await callPredict(mock.url, { credentials: k1, file: image }), 'INTERNAL_ERROR');
    const bad = await admin(mock.url, 'PUT', '/settings', { latency: { minMs: 9, maxMs: 1 } });
    expect(bad).toMatchObject({ httpCode: 400, body: { error: expect.stringMatching(/^latency\.minMs/) } });
    expect((await admin(mock.url, 'GET', '/settings')).body).toEqual({
      latency: null,
      faults: { internalErrorRate: 1 },
    });
    const count = await admin(mock.url, 'POST', '/requests/count', { decidedBy: 'fault' });
    expect(count.body).toEqual({ count: 1 });
  });

  it('GET /previews/:id returns the uploaded bytes as they came; an unknown id is a JSON 404', async () => {
    const sent = expectAnswer(await callPredict(mock.url, { credentials: k1, file: image }), 'OK');
    const response = await fetch(`${mock.url}/__admin/previews/${sent.request_id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer()).equals(image)).toBe(true);
    const missing = await admin(mock.url, 'GET', '/previews/TID0000');
    expect(missing.httpCode).toBe(404);
  });
});

describe('the dashboard and /favicon.ico', () => {
  it('the page declares its own icon under /__admin/ui, served and never journaled; /favicon.ico stays the vendor 404', async () => {
    const mock = await startMock({ port: 0 });
    try {
      const page = await (await fetch(`${mock.url}/__admin/ui`)).text();
      const href = /<link rel="icon" href="([^"]+)"/.exec(page)?.[1];
      expect(href).toBe('/__admin/ui/favicon.svg');
      const icon = await fetch(`${mock.url}${href}`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg /);
      for (const asset of ['/__admin/ui/dashboard.css', '/__admin/ui/dashboard.js']) {
        expect((await fetch(`${mock.url}${asset}`)).status, asset).toBe(200);
      }
      expect((await admin(mock.url, 'GET', '/requests')).body).toMatchObject({ total: 0 });
      // Outside /__admin the mock is the vendor: an unknown path is its JSON 404, journaled like any call.
      expectAnswer(await callPredict(mock.url, { path: '/favicon.ico', method: 'GET' }), 'NOT_FOUND');
      expect((await admin(mock.url, 'GET', '/requests')).body).toMatchObject({ total: 1 });
    } finally {
      await mock.close();
    }
  });
});

describe('the admin API off and behind a token', () => {
  it('admin: false serves neither the admin API nor the page: /__admin is the vendor NOT_FOUND', async () => {
    const mock = await startMock({ port: 0, admin: false });
    try {
      expectAnswer(await callPredict(mock.url, { path: '/__admin/health', method: 'GET' }), 'NOT_FOUND');
      expectAnswer(await callPredict(mock.url, { path: '/__admin/ui', method: 'GET' }), 'NOT_FOUND');
      expectAnswer(await callPredict(mock.url, { file: image }), 'OK');
    } finally {
      await mock.close();
    }
  });

  it('refuses to start off loopback without a token, saying how to set one', async () => {
    await expect(startMock({ port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /--admin-token TOKEN or the ACCUAUTH_ADMIN_TOKEN environment variable/,
    );
  });

  it('with a token: every admin route but the page needs the Bearer token; the endpoint is unaffected', async () => {
    const token = 'tok-3f1c9a';
    const mock = await startMock({ port: 0, adminToken: token });
    try {
      for (const route of ['/health', '/requests', '/keys', '/scenarios', '/events', '/statuses']) {
        const refused = await admin(mock.url, 'GET', route);
        expect(refused.httpCode, route).toBe(401);
        expect(refused.body).toEqual({ error: expect.stringContaining('Authorization: Bearer') });
      }
      const wrong = await admin(mock.url, 'GET', '/keys', undefined, { authorization: 'Bearer nope' });
      expect(wrong.httpCode).toBe(401);
      const posted = await admin(mock.url, 'POST', '/next', { status: 'OUT_OF_QUOTA' });
      expect(posted.httpCode).toBe(401);
      expectAnswer(await callPredict(mock.url, { file: image }), 'OK');
      const allowed = await admin(mock.url, 'GET', '/health', undefined, { authorization: `Bearer ${token}` });
      expect(allowed.httpCode).toBe(200);
      const page = await fetch(`${mock.url}/__admin/ui`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain(token);
    } finally {
      await mock.close();
    }
  });
});
