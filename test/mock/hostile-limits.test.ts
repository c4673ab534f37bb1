import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { admin, rateWindowMs, useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';

// Concurrent keys hitting their limits: however the calls interleave, exactly the configured number succeed.
// Every key here has its own limit, and the bursts of different keys run at the same time, so a counter shared
// by mistake, or a check-then-increment race, shows as a wrong count.
const RATE = 5;
const QUOTA = 7;
const BOTH = { rateLimit: 4, quota: 6 };
const secrets = ['rate-secret-91', 'quota-secret-92', 'both-secret-93'];
const body = fileUploadBody(makeJpeg({ width: 140, height: 140, seed: 31 }));

// The rate windows read this clock, moved by the tests themselves: a burst is judged by its counts, never by how
// long it took, and crossing a window needs no sleep.
let clockMs = 1_000_000;
const mock = useMock({
  config: {
    keys: [
      { id: 'rate', secret: 'rate-secret-91', rateLimit: RATE },
      { id: 'quota', secret: 'quota-secret-92', quota: QUOTA },
      { id: 'both', secret: 'both-secret-93', ...BOTH },
    ],
  },
  now: () => clockMs,
});

/** `count` calls of one key at once; their statuses. */
async function burst(id: string, secret: string, count: number, payload: 'image' | 'nothing' = 'image') {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const credentials = { 'X-DF-API-ID': id, 'X-DF-API-SECRET': secret };
      const answer = await callPredict(
        mock.url,
        payload === 'image'
          ? { body, credentials, headers: { 'content-type': multipartContentType() } }
          : { credentials },
      );
      return expectAnswer(answer, ANY_STATUS, { secrets }).status;
    }),
  );
}

async function resetCounters() {
  const reset = await admin(mock.url, 'POST', '/reset');
  expect(reset.httpCode).toBe(200);
}

const count = (statuses: string[], status: string) => statuses.filter((s) => s === status).length;

describe('limits under concurrency', () => {
  it('lets exactly the quota through when 30 calls of one key race (while other keys burst too)', async () => {
    const [quota] = await Promise.all([
      burst('quota', 'quota-secret-92', 30),
      burst('rate', 'rate-secret-91', 20),
      burst('both', 'both-secret-93', 10),
    ]);
    expect(count(quota, 'OK')).toBe(QUOTA);
    expect(count(quota, 'OUT_OF_QUOTA')).toBe(30 - QUOTA);
  });

  it('lets exactly the rate limit through in a burst within one window, and as many again in the next', async () => {
    // The calls carry no body (the rate stage comes before the body stage: accepted calls are INVALID_ARGUMENT,
    // refused ones RATE_LIMIT_EXCEEDED).
    const windowMs = await rateWindowMs(mock.url, 'rate');
    const first = await burst('rate', 'rate-secret-91', 20, 'nothing');
    expect(count(first, 'INVALID_ARGUMENT')).toBe(RATE);
    expect(count(first, 'RATE_LIMIT_EXCEEDED')).toBe(20 - RATE);
    // One millisecond short of a window later the accepted calls still fill it; at a whole window they have left it.
    clockMs += windowMs - 1;
    expect(await burst('rate', 'rate-secret-91', 3, 'nothing')).toEqual(Array(3).fill('RATE_LIMIT_EXCEEDED'));
    clockMs += 1;
    const next = await burst('rate', 'rate-secret-91', 20, 'nothing');
    expect(count(next, 'INVALID_ARGUMENT')).toBe(RATE);
    expect(count(next, 'RATE_LIMIT_EXCEEDED')).toBe(20 - RATE);
  });

  it("counts a key's quota across rate windows: exactly the quota succeeds over two bursts", async () => {
    // Each burst gets rateLimit calls past the rate stage, so two bursts offer more than the quota: exactly
    // `quota` of them succeed in total, the rest of the second window's calls are OUT_OF_QUOTA.
    const first = await burst('both', 'both-secret-93', 10);
    expect(count(first, 'OK')).toBe(BOTH.rateLimit);
    expect(count(first, 'RATE_LIMIT_EXCEEDED')).toBe(10 - BOTH.rateLimit);
    clockMs += await rateWindowMs(mock.url, 'both');
    const second = await burst('both', 'both-secret-93', 10);
    expect(count(second, 'OK')).toBe(BOTH.quota - BOTH.rateLimit);
    expect(count(second, 'OUT_OF_QUOTA')).toBe(BOTH.rateLimit - (BOTH.quota - BOTH.rateLimit));
    expect(count(second, 'RATE_LIMIT_EXCEEDED')).toBe(10 - BOTH.rateLimit);
  });

  it('gives the quota back whole after an admin reset, and still exactly', async () => {
    const before = await burst('quota', 'quota-secret-92', 25);
    expect(count(before, 'OK')).toBe(QUOTA);
    await resetCounters();
    const after = await burst('quota', 'quota-secret-92', 25);
    expect(count(after, 'OK')).toBe(QUOTA);
    expect(count(after, 'OUT_OF_QUOTA')).toBe(25 - QUOTA);
  });

  it('refuses a wrong secret of a configured key as UNAUTHORIZED', async () => {
    expect(await burst('quota', 'not-the-secret', 3)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED']);
  });
});
