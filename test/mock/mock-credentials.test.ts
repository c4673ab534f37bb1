import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { rateWindowMs, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const image = makeJpeg({ width: 160, height: 160, seed: 11 });
const key = (id: string) => ({ 'x-df-api-id': id, 'x-df-api-secret': `${id}-secret` });

describe('without configured keys: any non-empty pair', () => {
  const mock = useMock();

  it('missing or empty X-DF-API-ID / X-DF-API-SECRET -> 401 UNAUTHORIZED', async () => {
    for (const credentials of [
      {},
      { 'x-df-api-id': 'id' },
      { 'x-df-api-secret': 'secret' },
      { 'x-df-api-id': '', 'x-df-api-secret': 'secret' },
      { 'x-df-api-id': 'id', 'x-df-api-secret': '' },
    ]) {
      const answer = await callPredict(mock.url, { credentials, file: image });
      expect(answer.httpCode).toBe(401);
      expectAnswer(answer, 'UNAUTHORIZED');
    }
  });

  it('any non-empty pair is accepted', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: key('whoever'), file: image }), 'OK');
  });
});

describe('configured keys: UNAUTHORIZED, KEY_EXPIRED, NO_PERMISSION, OUT_OF_QUOTA, RATE_LIMIT_EXCEEDED', () => {
  // Expiry and the rate window read this clock, which only the tests move (from today's date, so the
  // expiry dates above keep their meaning): a burst is judged by its counts however long it took.
  let clockMs = Date.now();
  const mock = useMock({
    now: () => clockMs,
    config: {
      keys: [
        { id: 'good', secret: 'good-secret', expiresAt: '2999-01-01T00:00:00Z' },
        { id: 'old', secret: 'old-secret', expiresAt: '2020-01-01T00:00:00Z' },
        { id: 'denied', secret: 'denied-secret', permission: false },
        { id: 'metered', secret: 'metered-secret', quota: 2 },
        { id: 'limited', secret: 'limited-secret', rateLimit: 3 },
      ],
    },
  });

  it('unknown id or wrong secret -> UNAUTHORIZED; a known pair -> OK', async () => {
    expectAnswer(await callPredict(mock.url, { credentials: key('stranger'), file: image }), 'UNAUTHORIZED');
    const wrong = { 'x-df-api-id': 'good', 'x-df-api-secret': 'nope' };
    expectAnswer(await callPredict(mock.url, { credentials: wrong, file: image }), 'UNAUTHORIZED');
    expectAnswer(await callPredict(mock.url, { credentials: key('good'), file: image }), 'OK');
  });

  it('an expired key -> 401 KEY_EXPIRED', async () => {
    const answer = await callPredict(mock.url, { credentials: key('old'), file: image });
    expect(answer.httpCode).toBe(401);
    expectAnswer(answer, 'KEY_EXPIRED');
  });

  it('a key without permission -> 403 NO_PERMISSION', async () => {
    const answer = await callPredict(mock.url, { credentials: key('denied'), file: image });
    expect(answer.httpCode).toBe(403);
    expectAnswer(answer, 'NO_PERMISSION');
  });

  it('quota: refused image checks do not count; the call after the quota -> 403 OUT_OF_QUOTA', async () => {
    expectAnswer(
      await callPredict(mock.url, { credentials: key('metered'), file: new Uint8Array(9) }),
      'INVALID_ARGUMENT',
    );
    expectAnswer(await callPredict(mock.url, { credentials: key('metered'), file: image }), 'OK');
    expectAnswer(await callPredict(mock.url, { credentials: key('metered'), file: image }), 'OK');
    const answer = await callPredict(mock.url, { credentials: key('metered'), file: image });
    expect(answer.httpCode).toBe(403);
    expectAnswer(answer, 'OUT_OF_QUOTA');
  });

  it('rate limit is exact under concurrency: of 12 simultaneous calls exactly 3 pass, the rest RATE_LIMIT_EXCEEDED', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => callPredict(mock.url, { credentials: key('limited'), file: image })),
    );
    const statuses = answers.map((answer) => expectAnswer(answer, ['OK', 'RATE_LIMIT_EXCEEDED']).status);
    expect(statuses.filter((status) => status === 'OK')).toHaveLength(3);
    expect(statuses.filter((status) => status === 'RATE_LIMIT_EXCEEDED')).toHaveLength(9);
    // The window slides: one millisecond short of it the key is still refused, a whole window later it may call again.
    const windowMs = await rateWindowMs(mock.url, 'limited');
    clockMs += windowMs - 1;
    expectAnswer(await callPredict(mock.url, { credentials: key('limited'), file: image }), 'RATE_LIMIT_EXCEEDED');
    clockMs += 1;
    expectAnswer(await callPredict(mock.url, { credentials: key('limited'), file: image }), 'OK');
  });
});
