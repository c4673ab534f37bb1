import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';
import {
  redisAvailability,
  reportRedisSkip,
  startTestRedis,
  type TestRedis,
  uniquePrefix,
} from '../support/redis-server.js';
import { distinctImages } from '../support/scripted-client.js';

// Replicas on one Redis answer as one vendor, so they judge the client as one: each hears every replica's calls
// (the journal's channel) and a reset on any of them.
const redis = redisAvailability();
reportRedisSkip(redis, 'client judge across replicas on Redis');
const key = { 'x-df-api-id': 'team-key', 'x-df-api-secret': 'team-secret' };

describe.skipIf(!redis.available)('two replicas on one Redis', () => {
  let server: TestRedis | undefined;
  const replicas: RunningMock[] = [];

  beforeAll(async () => {
    if (!redis.available) return;
    server = await startTestRedis(redis);
    const prefix = uniquePrefix('judge');
    const config = {
      keys: [{ id: 'team-key', secret: 'team-secret', quota: 1 }],
      coverage: { require: ['all' as const] },
    };
    for (let i = 0; i < 2; i += 1) replicas.push(await startMock({ config, state: server.url, statePrefix: prefix }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await server?.stop();
  });

  /** Polls `read` until it holds: another replica's entries arrive over Redis pub/sub, a moment later. */
  async function eventually(read: () => boolean): Promise<void> {
    const deadline = performance.now() + 5_000;
    while (!read()) {
      if (performance.now() > deadline) throw new Error('the replicas never agreed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('give one coverage and one audit, and reset together', async () => {
    const [one, two] = replicas as [RunningMock, RunningMock];
    const [a, b] = distinctImages(2, 700) as [Buffer, Buffer];
    expectAnswer(await callPredict(one.url, { file: a, credentials: key }), 'OK');
    expectAnswer(await callPredict(two.url, { file: b, credentials: key }), 'OUT_OF_QUOTA');
    // The same image again, on the other replica: still a retry of a non-retriable status for the one vendor.
    expectAnswer(await callPredict(one.url, { file: b, credentials: key }), 'OUT_OF_QUOTA');
    expectAnswer(await callPredict(two.url, { headers: { prefer: 'example=KEY_EXPIRED' } }), 'KEY_EXPIRED');

    await eventually(() => one.coverage().calls === 4 && two.coverage().calls === 4);
    expect(two.coverage()).toEqual(one.coverage());
    expect(one.coverage().seen).toEqual({ OK: 1, OUT_OF_QUOTA: 2, KEY_EXPIRED: 1 });
    for (const replica of replicas) {
      expect(replica.audit()).toMatchObject({
        billableCalls: 1,
        findings: [{ kind: 'retried-non-retriable', keyId: 'team-key', count: 1 }],
      });
    }
    expect((await admin(two.url, 'GET', '/coverage')).body).toMatchObject({ calls: 4, seen: { OUT_OF_QUOTA: 2 } });

    await admin(one.url, 'POST', '/reset');
    expect(one.coverage().calls).toBe(0);
    await eventually(() => two.coverage().calls === 0);
    expect(two.audit().findings).toEqual([]);
  });
});
