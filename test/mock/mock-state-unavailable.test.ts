import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from '../../mock/admin/admin-handler.js';
import { createMockCore } from '../../mock/core/mock-core.js';
import { createInMemoryState } from '../../mock/core/state/in-memory-state.js';
import { type MockState, StateUnavailableError } from '../../mock/core/state/mock-state.js';
import { createMockApp } from '../../mock/express/express-handler.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

// The core's answer when its state store is away, with no Redis needed: a state whose every operation fails as
// the Redis state fails when Redis is gone, served over real HTTP by the Express adapter.
const REASON = "the mock's state store (Redis at redis://127.0.0.1:1/0) is unavailable: Connection is closed.";
let down = false;
const inner = createInMemoryState({ seed: 1, journalLimit: 10 });
const flaky = new Proxy(inner, {
  get(target, name: keyof MockState) {
    const value = target[name];
    if (typeof value !== 'function' || name === 'subscribeJournal' || name === 'close') return value;
    return (...args: unknown[]) => {
      if (down) return Promise.reject(new StateUnavailableError(REASON));
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
});
const image = makeJpeg({ width: 150, height: 150, seed: 3 });
let server: Server;
let url = '';

beforeAll(async () => {
  const core = createMockCore({}, { state: flaky });
  const adminApi = adminRouter(core.control, {
    startedAt: Date.now(),
    previews: undefined,
    token: undefined,
    hosts: { listenHost: '127.0.0.1', boundAddress: () => undefined, allowedHosts: [] },
  });
  server = createServer(createMockApp(core.requests, undefined, adminApi));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a mock whose state store is unavailable', () => {
  it('answers the documented 500 INTERNAL_ERROR saying so, 503 on the admin API, and serves again after', async () => {
    expectAnswer(await callPredict(url, { file: image }), 'OK');
    down = true;
    for (const call of [{ file: image }, { credentials: false as const }, { path: '/elsewhere' }]) {
      const answer = expectAnswer(await callPredict(url, call), 'INTERNAL_ERROR', { httpCode: 500 });
      expect(answer.reason).toBe(REASON);
    }
    const reset = await admin(url, 'POST', '/reset');
    expect(reset).toMatchObject({ httpCode: 503, body: { error: REASON } });
    down = false;
    expectAnswer(await callPredict(url, { file: image }), 'OK');
    // The outage's answers were not journaled (the journal is in the store); the two good calls were.
    expect((await inner.listJournal()).total).toBe(2);
  });
});
