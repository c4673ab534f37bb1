import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { unusedPort } from '../support/free-port.js';
import { type MockProcess, runCli, startMockProcess } from '../support/mock-process.js';
import { admin } from '../support/mock-server.js';
import { type Answer, callPredict } from '../support/predict-request.js';
import {
  redisAvailability,
  reportRedisSkip,
  startTestRedis,
  type TestRedis,
  uniquePrefix,
} from '../support/redis-server.js';
import { scratchFolder } from '../support/scratch-folder.js';

// Several real mock processes (the built CLI) on one real Redis answer as one vendor: one quota, one rate window,
// one sequence, one journal, one config.
const redis = redisAvailability();
reportRedisSkip(redis, 'mock replicas on Redis');
const image = makeJpeg({ width: 150, height: 150, seed: 7 });
const key = (id: string) => ({ 'x-df-api-id': id, 'x-df-api-secret': `${id}-secret` });

const configPath = join(scratchFolder('replicas'), 'mock.yaml');
writeFileSync(
  configPath,
  `keys:
  - { id: quota-key, secret: quota-key-secret, quota: 10 }
  - { id: rate-key, secret: rate-key-secret, rateLimit: 3 }
  - { id: seq-key, secret: seq-key-secret }
  - { id: free-key, secret: free-key-secret }
scenarios:
  - name: flaky
    match: { keyId: seq-key }
    sequence: [{ status: RATE_LIMIT_EXCEEDED }, { status: RATE_LIMIT_EXCEEDED }, { status: OK }]
`,
);

/** How many answers carried each status, each checked as a documented answer. */
function statuses(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const { status } = expectAnswer(answer, ANY_STATUS);
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/**
 * A Redis of the describe block's own (the outage test stops it) and `count` mock processes on it with the config
 * above, started one after the other (the first seeds the store, the others join), stopped after the block.
 */
function useReplicas(count: number, label: string): { readonly server: TestRedis; readonly replicas: MockProcess[] } {
  const running: { server?: TestRedis; replicas: MockProcess[] } = { replicas: [] };
  beforeAll(async () => {
    if (!redis.available) return;
    const server = await startTestRedis(redis);
    running.server = server;
    const args = ['--state', server.url, '--state-prefix', uniquePrefix(label)];
    for (let i = 0; i < count; i += 1) running.replicas.push(await startMockProcess({ config: configPath, args }));
  });
  afterAll(async () => {
    await Promise.all(running.replicas.map((replica) => replica.stop()));
    await running.server?.stop();
  });
  return {
    get server() {
      if (!running.server) throw new Error('Redis is not started yet');
      return running.server;
    },
    replicas: running.replicas,
  };
}

describe.skipIf(!redis.available)('three mock processes on one Redis', () => {
  const three = useReplicas(3, 'replicas');
  const replicas = three.replicas;
  const on = (i: number) => (replicas[i % replicas.length] as MockProcess).url;
  // The replicas live for the whole block: each test starts from fresh counters, sequences and journal.
  beforeEach(async () => {
    expect((await admin(on(0), 'POST', '/reset')).httpCode).toBe(200);
  });

  it('a key with quota 10 gets exactly 10 OK of 40 concurrent calls spread over the replicas', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => callPredict(on(i), { credentials: key('quota-key'), file: image })),
    );
    expect(statuses(answers)).toEqual({ OK: 10, OUT_OF_QUOTA: 30 });
  });

  it('a reset through one replica restores the quota seen by another', async () => {
    for (let i = 0; i < 10; i += 1) {
      expectAnswer(await callPredict(on(i), { credentials: key('quota-key'), file: image }), 'OK');
    }
    expectAnswer(await callPredict(on(1), { credentials: key('quota-key'), file: image }), 'OUT_OF_QUOTA');
    expect((await admin(on(0), 'POST', '/reset')).body).toEqual({ reset: true });
    expectAnswer(await callPredict(on(1), { credentials: key('quota-key'), file: image }), 'OK');
  });

  it('a key limited to 3 per second gets exactly 3 OK of 12 simultaneous calls over the replicas', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => callPredict(on(i), { credentials: key('rate-key'), file: image })),
    );
    expect(statuses(answers)).toEqual({ OK: 3, RATE_LIMIT_EXCEEDED: 9 });
  });

  it('the sequence [RATE_LIMIT_EXCEEDED, RATE_LIMIT_EXCEEDED, OK] plays once in total, not once per replica', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      seen.push(
        expectAnswer(await callPredict(on(i), { credentials: key('seq-key'), file: image }), ANY_STATUS).status,
      );
    }
    expect(seen).toEqual(['RATE_LIMIT_EXCEEDED', 'RATE_LIMIT_EXCEEDED', 'OK', 'OK', 'OK', 'OK']);
    const journal = (await admin(on(2), 'GET', '/requests')).body as { requests: { scenario?: string }[] };
    expect(journal.requests.filter((entry) => entry.scenario === 'flaky')).toHaveLength(3);
  });

  it("the journal of every replica shows every replica's calls, secrets redacted", async () => {
    await admin(on(0), 'DELETE', '/requests');
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) => callPredict(on(i), { credentials: key('free-key'), file: image })),
    );
    const sent = answers.map((answer) => expectAnswer(answer, 'OK').request_id).sort();
    for (let i = 0; i < replicas.length; i += 1) {
      const page = (await admin(on(i), 'GET', '/requests')).body as {
        requests: { requestId: string; headers: Record<string, string> }[];
        total: number;
      };
      expect(page.total).toBe(9);
      expect(page.requests.map((entry) => entry.requestId).sort()).toEqual(sent);
      expect(JSON.stringify(page)).not.toContain('free-key-secret');
    }
  });

  it('keys replaced through one replica are in force on the others at their next request', async () => {
    const replaced = await admin(on(0), 'PUT', '/keys', { keys: [{ id: 'new-key', secret: 'new-key-secret' }] });
    expect(replaced.httpCode).toBe(200);
    expectAnswer(await callPredict(on(1), { credentials: key('new-key'), file: image }), 'OK');
    expectAnswer(await callPredict(on(2), { credentials: key('free-key'), file: image }), 'UNAUTHORIZED');
    const config = (await admin(on(2), 'GET', '/config')).body as { keys: { secret: string }[]; state: string };
    expect(config.keys).toEqual([{ id: 'new-key', secret: '[REDACTED]' }]);
    expect(config.state).toBe(three.server.url);
  });
});

describe.skipIf(!redis.available)('two mock processes when Redis goes away and comes back', () => {
  const two = useReplicas(2, 'outage');

  it('answers the documented 500 while Redis is stopped, without crashing, and serves again once it is back', async (context) => {
    const server = two.server;
    if (!server.controllable) {
      process.stderr.write('[skipped] Redis outage: REDIS_URL points at a Redis this test cannot stop\n');
      context.skip();
    }
    const [a, b] = two.replicas as [MockProcess, MockProcess];
    expectAnswer(await callPredict(a.url, { credentials: key('free-key'), file: image }), 'OK');
    await server.stop();

    for (const replica of [a, b, a]) {
      const answer = expectAnswer(
        await callPredict(replica.url, { credentials: key('free-key'), file: image }),
        'INTERNAL_ERROR',
        { httpCode: 500 },
      );
      expect(answer.reason).toMatch(/the mock's state store \(Redis at redis:\/\/127\.0\.0\.1:\d+\/0\) is unavailable/);
    }
    const health = await admin(b.url, 'GET', '/health');
    expect(health.httpCode).toBe(503);
    expect(health.body).toMatchObject({ error: expect.stringMatching(/state store/) });

    await server.start();
    // The client reconnects by itself (at most a second apart); the first replica to come back seeds the config.
    for (const replica of [a, b]) {
      await vi.waitFor(
        async () => expectAnswer(await callPredict(replica.url, { credentials: key('quota-key'), file: image }), 'OK'),
        { timeout: 20_000, interval: 200 },
      );
    }
    expect((await admin(b.url, 'GET', '/requests')).httpCode).toBe(200);
    expect(a.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe('--state that cannot be used', () => {
  it('Redis unreachable at start: exit code 2, the URL named with its password redacted, no stack', async () => {
    const port = await unusedPort();
    const result = await runCli(['mock', '--port', '0', '--state', `redis://user:hunter2@127.0.0.1:${port}/0`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot reach the mock's state store at redis://user:***@127.0.0.1:${port}/0`);
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a state that is not a redis:// URL: exit code 2, one message whether --state or the config gives it', async () => {
    const dir = scratchFolder('state');
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'state: http://127.0.0.1:6379\n');
    try {
      const message = 'state must be a redis:// or rediss:// URL, got http://...';
      const fromConfig = await runCli(['mock', '--port', '0', '--config', path]);
      expect(fromConfig.code).toBe(2);
      expect(fromConfig.stderr).toContain(`${path}: ${message}`);
      const fromFlag = await runCli(['mock', '--port', '0', '--state', 'http://127.0.0.1:6379']);
      expect(fromFlag.code).toBe(2);
      expect(fromFlag.stderr).toContain(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
