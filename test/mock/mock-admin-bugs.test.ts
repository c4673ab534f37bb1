import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from '../../mock/admin/admin-handler.js';
import { createMockCore, type MockControl } from '../../mock/core/mock-core.js';
import { createMockApp } from '../../mock/express/express-handler.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

// A core with a bug in one of its control methods, as the one that once answered GET /__admin/keys with
// `400 "the body must be JSON: Cannot read properties..."`: served over real HTTP by the Express adapter.
const BUG = "Cannot read properties of undefined (reading 'quota')";
const real = createMockCore({});
const buggy: MockControl = Object.assign(Object.create(real.control) as MockControl, {
  keys: () => Promise.reject(new TypeError(BUG)),
});
const image = makeJpeg({ width: 150, height: 150, seed: 5 });
let server: Server;
let url = '';

beforeAll(async () => {
  const adminApi = adminRouter(buggy, {
    startedAt: Date.now(),
    previews: undefined,
    token: undefined,
    hosts: { listenHost: '127.0.0.1', boundAddress: () => undefined, allowedHosts: [] },
  });
  server = createServer(createMockApp(real.requests, undefined, adminApi));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a bug in an admin handler', () => {
  it('is a JSON 500 that says it is the mock, not the caller; the mock keeps serving', async () => {
    const answer = await admin(url, 'GET', '/keys');
    expect(answer.httpCode).toBe(500);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      error:
        `the mock failed on GET /__admin/keys: ${BUG}; this is a bug in the mock, not a mistake in the request, ` +
        'and the mock keeps serving',
    });
    expect((await admin(url, 'GET', '/health')).httpCode).toBe(200);
    expectAnswer(await callPredict(url, { file: image }), 'OK');
  });

  it("leaves the caller's own mistakes at 400: a body that is not JSON, one over the admin limit", async () => {
    const notJson = await admin(url, 'PUT', '/scenarios', '{"scenarios": [');
    expect(notJson.httpCode).toBe(400);
    expect(notJson.body).toEqual({ error: expect.stringMatching(/^the body must be JSON: /) });
    const tooLarge = await admin(url, 'PUT', '/scenarios', JSON.stringify({ scenarios: 'x'.repeat(1_100_000) }));
    expect(tooLarge.httpCode).toBe(400);
    expect(tooLarge.body).toEqual({ error: 'the body must be JSON: request entity too large' });
  });
});
