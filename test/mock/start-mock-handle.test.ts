import { afterAll, describe, expect, it } from 'vitest';
import { MockConfigError, type RunningMock, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict } from '../support/predict-request.js';

// startMock() without a port picks a free one (test files in parallel used to collide on 4010), and its handle
// drives the running mock in-process: reset, journal, scenario and key replacement.
const mocks: RunningMock[] = [];
afterAll(async () => {
  for (const mock of mocks) await mock.close();
});

describe('startMock()', () => {
  it('defaults to a free port: two mocks at once, neither on 4010', async () => {
    const [first, second] = await Promise.all([startMock(), startMock()]);
    if (!first || !second) throw new Error('both mocks must start');
    mocks.push(first, second);
    expect(first.port).not.toBe(second.port);
    expect(first.port).not.toBe(4010);
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
  });

  it('returns a handle with reset(), the journal and scenario/key replacement', async () => {
    const mock = await startMock({ config: { keys: [{ id: 'k1', secret: 's1', quota: 1 }] } });
    mocks.push(mock);
    const file = makeJpeg({ width: 160, height: 160 });
    const k1 = { 'x-df-api-id': 'k1', 'x-df-api-secret': 's1' };
    expectAnswer(await callPredict(mock.url, { file, credentials: k1 }), 'OK');
    expectAnswer(await callPredict(mock.url, { file, credentials: k1 }), 'OUT_OF_QUOTA');
    expect((await mock.journal.list()).total).toBe(2);
    expect((await mock.journal.list()).requests[0]?.headers['x-df-api-secret']).toBe('[REDACTED]');

    await mock.reset();
    expect((await mock.journal.list()).total).toBe(0);
    expectAnswer(await callPredict(mock.url, { file, credentials: k1 }), 'OK');

    await mock.replaceScenarios([{ sequence: [{ status: 'DETECTION_FAILED' }] }]);
    await mock.replaceKeys([{ id: 'k2', secret: 's2' }]);
    const k2 = { 'x-df-api-id': 'k2', 'x-df-api-secret': 's2' };
    expectAnswer(await callPredict(mock.url, { file, credentials: k1 }), 'UNAUTHORIZED');
    expectAnswer(await callPredict(mock.url, { file, credentials: k2 }), 'DETECTION_FAILED');
    expectAnswer(await callPredict(mock.url, { file, credentials: k2 }), 'OK');
  });

  it('refuses bad replacements with the admin API message and keeps the running state', async () => {
    const mock = await startMock();
    mocks.push(mock);
    await expect(mock.replaceKeys([{ id: 'k1', secret: 's1', rateLimit: 0 }])).rejects.toThrow(MockConfigError);
    await expect(mock.replaceScenarios([{ respond: { status: 'NOPE' as 'OK' } }])).rejects.toMatchObject({
      reason: expect.stringMatching(/^scenarios\[0\]\.respond\.status must be one of/),
    });
    const any = { 'x-df-api-id': 'any', 'x-df-api-secret': 'any' };
    expectAnswer(await callPredict(mock.url, { file: makeJpeg({ width: 160, height: 160 }), credentials: any }), 'OK');
  });
});
