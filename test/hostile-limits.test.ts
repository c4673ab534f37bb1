import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PREFIX, type RunningMock, startMock } from '../mock/index.js';
import { makeJpeg } from '../src/image/sample-images.js';
import { assertDocumentedAnswer } from './support/documented-answer.js';
import { fileUploadBody, multipartContentType } from './support/multipart-body.js';
import { postPredict } from './support/predict-request.js';

// Concurrent keys hitting their limits: however the calls interleave, exactly the configured number succeed.
// Every key here has its own limit, and the bursts of different keys run at the same time, so a counter shared
// by mistake, or a check-then-increment race, shows as a wrong count.
const RATE = 5;
const QUOTA = 7;
const BOTH = { rateLimit: 4, quota: 6 };
const secrets = ['rate-secret-91', 'quota-secret-92', 'both-secret-93'];
let mock: RunningMock;
const body = fileUploadBody(makeJpeg({ width: 140, height: 140, seed: 31 }));

beforeAll(async () => {
  mock = await startMock({
    port: 0,
    config: {
      keys: [
        { id: 'rate', secret: 'rate-secret-91', rateLimit: RATE },
        { id: 'quota', secret: 'quota-secret-92', quota: QUOTA },
        { id: 'both', secret: 'both-secret-93', ...BOTH },
      ],
    },
  });
});
afterAll(async () => {
  await mock?.close();
});

/** `count` calls of one key at once; the statuses, and how long the burst took from first send to last answer. */
async function burst(id: string, secret: string, count: number) {
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: count }, async () => {
      const answer = await postPredict(mock.url, {
        body,
        headers: { 'X-DF-API-ID': id, 'X-DF-API-SECRET': secret, 'content-type': multipartContentType() },
      });
      return assertDocumentedAnswer(answer, { secrets }).status;
    }),
  );
  return { statuses, ms: performance.now() - started };
}

const count = (statuses: string[], status: string) => statuses.filter((s) => s === status).length;

describe('limits under concurrency', () => {
  it('lets exactly the quota and the rate limit through when three keys burst at once', async () => {
    const [rate, quota, both] = await Promise.all([
      burst('rate', 'rate-secret-91', 20),
      burst('quota', 'quota-secret-92', 30),
      burst('both', 'both-secret-93', 15),
    ]);
    // A sliding second: the burst must fit in it for the count to be exact; on a machine so slow that it did
    // not, the message says so instead of blaming the mock.
    expect(rate.ms, 'the rate burst took longer than the 1 s window').toBeLessThan(1000);
    expect(count(rate.statuses, 'OK')).toBe(RATE);
    expect(count(rate.statuses, 'RATE_LIMIT_EXCEEDED')).toBe(20 - RATE);
    expect(count(quota.statuses, 'OK')).toBe(QUOTA);
    expect(count(quota.statuses, 'OUT_OF_QUOTA')).toBe(30 - QUOTA);
    expect(count(both.statuses, 'OK')).toBe(BOTH.rateLimit);
    expect(count(both.statuses, 'RATE_LIMIT_EXCEEDED')).toBe(15 - BOTH.rateLimit);
  });

  it('counts the quota across windows: a later burst gets only what is left of it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await burst('both', 'both-secret-93', 10);
    expect(count(later.statuses, 'OK')).toBe(BOTH.quota - BOTH.rateLimit);
    const quotaAgain = await burst('quota', 'quota-secret-92', 5);
    expect(count(quotaAgain.statuses, 'OUT_OF_QUOTA')).toBe(5);
  });

  it('gives the quota back whole after an admin reset, and still exactly', async () => {
    const reset = await fetch(`${mock.url}${ADMIN_PREFIX}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const after = await burst('quota', 'quota-secret-92', 25);
    expect(count(after.statuses, 'OK')).toBe(QUOTA);
    expect(count(after.statuses, 'OUT_OF_QUOTA')).toBe(25 - QUOTA);
  });

  it('refuses a wrong secret of a configured key as UNAUTHORIZED without counting it', async () => {
    const wrong = await burst('quota', 'not-the-secret', 3);
    expect(wrong.statuses).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED']);
  });
});
