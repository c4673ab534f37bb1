import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInMemoryState } from '../../mock/core/state/in-memory-state.js';
import type { InitialState } from '../../mock/core/state/initial-state.js';
import type { MockState } from '../../mock/core/state/mock-state.js';
import type { JournalEntry } from '../../mock/core/state/request-journal.js';
import { connectRedisState } from '../../mock/redis/redis-state.js';
import {
  type RedisAvailability,
  redisAvailability,
  reportRedisSkip,
  startTestRedis,
  type TestRedis,
  uniquePrefix,
} from '../support/redis-server.js';

// The contract every MockState keeps, run against each implementation: each operation is one atomic call, so
// concurrent callers are counted exactly once each.
const settings: InitialState = { seed: 1, journalLimit: 3 };
const redis: RedisAvailability = redisAvailability();
reportRedisSkip(redis, 'MockState (Redis)');
let server: TestRedis | undefined;
const opened: MockState[] = [];

async function redisState(prefix: string): Promise<MockState> {
  if (!server) throw new Error('no Redis started');
  const connected = await connectRedisState({ url: server.url, prefix, initial: settings });
  if (!connected.ok) throw new Error(connected.reason);
  opened.push(connected.state);
  return connected.state;
}

const implementations: { name: string; skip: boolean; fresh: () => Promise<MockState> }[] = [
  { name: 'in memory', skip: false, fresh: async () => createInMemoryState(settings) },
  { name: 'Redis', skip: !redis.available, fresh: () => redisState(uniquePrefix('contract')) },
];

beforeAll(async () => {
  if (redis.available) server = await startTestRedis(redis);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((state) => state.close()));
});
afterAll(async () => {
  await server?.stop();
});

describe.each(implementations)('MockState ($name)', ({ skip, fresh }) => {
  if (skip) {
    it.skip('needs Redis (see the printed reason)', () => {});
    return;
  }

  it('consumeQuota grants exactly `quota` of many concurrent calls', async () => {
    const state = await fresh();
    const granted = await Promise.all(Array.from({ length: 40 }, () => state.consumeQuota('k', 10)));
    expect(granted.filter(Boolean)).toHaveLength(10);
  });

  it('tryAcquireRate accepts `limit` calls per sliding window and counts no refusal', async () => {
    const state = await fresh();
    const at0 = await Promise.all(Array.from({ length: 12 }, () => state.tryAcquireRate('k', 3, 0)));
    expect(at0.filter(Boolean)).toHaveLength(3);
    expect(await state.tryAcquireRate('k', 3, 999)).toBe(false);
    expect(await state.tryAcquireRate('k', 3, 1000)).toBe(true);
  });

  it('takeSequenceStep hands each step out once, then stops or loops', async () => {
    const state = await fresh();
    const steps = await Promise.all(Array.from({ length: 4 }, () => state.takeSequenceStep('s', 3, false)));
    expect(steps).toEqual([0, 1, 2, undefined]);
    const looped = await Promise.all(Array.from({ length: 4 }, () => state.takeSequenceStep('l', 2, true)));
    expect(looped).toEqual([0, 1, 0, 1]);
  });

  it('reset forgets quotas, windows, positions, draws and the journal; replacing keys bumps the version', async () => {
    const state = await fresh();
    const firstDraws = [await state.drawInteger(0, 1000), await state.drawInteger(0, 1000)];
    await state.consumeQuota('k', 1);
    await state.takeSequenceStep('s', 1, false);
    await state.appendJournal({
      at: '2024-01-01T00:00:00.000Z',
      method: 'POST',
      path: '/',
      headers: {},
      body: { kind: 'unread' },
      status: 'NOT_FOUND',
      httpCode: 404,
      requestId: 'TID00000000000000000000000000000000',
      decidedBy: 'route',
      latencyMs: 0,
      answer: {
        status: 'NOT_FOUND',
        reason: 'The request path is not found',
        request_id: 'TID00000000000000000000000000000000',
      },
    });
    await state.reset();
    expect(await state.consumeQuota('k', 1)).toBe(true);
    expect(await state.takeSequenceStep('s', 1, false)).toBe(0);
    expect([await state.drawInteger(0, 1000), await state.drawInteger(0, 1000)]).toEqual(firstDraws);
    expect(await state.listJournal()).toEqual({ requests: [], total: 0, limit: 3 });
    expect(await state.consumeQuota('k', 1)).toBe(false);
    const before = (await state.readConfig()).version;
    expect(await state.replaceKeys([{ id: 'k', secret: 's', quota: 1 }])).toBe(before + 1);
    expect(await state.consumeQuota('k', 1)).toBe(true); // the replaced keys' counters restart
  });

  it('readUsage shows each used key and sequence as they stand, and forgets them on reset', async () => {
    const state = await fresh();
    await state.consumeQuota('k', 5);
    await state.consumeQuota('k', 5);
    await state.tryAcquireRate('k', 3, 100);
    await state.tryAcquireRate('k', 3, 900);
    await state.tryAcquireRate('r', 3, 500);
    await state.takeSequenceStep('s', 3, false);
    expect(await state.readUsage(1000)).toEqual({
      keys: { k: { callsUsed: 2, callsInWindow: 2 }, r: { callsUsed: 0, callsInWindow: 1 } },
      sequences: { s: 1 },
      nextAnswers: [],
    });
    // 1100 ms: the call at 100 has left the window ending now.
    expect((await state.readUsage(1100)).keys.k).toEqual({ callsUsed: 2, callsInWindow: 1 });
    await state.reset();
    expect(await state.readUsage(1100)).toEqual({ keys: {}, sequences: {}, nextAnswers: [] });
  });

  it('queued next answers are taken once each, in order, by concurrent calls; reset forgets them', async () => {
    const state = await fresh();
    expect(await state.queueNextAnswer({ status: 'OUT_OF_QUOTA' })).toBe(1);
    expect(await state.queueNextAnswer({ status: 'INTERNAL_ERROR', reason: 'down' })).toBe(2);
    expect((await state.readUsage(0)).nextAnswers).toEqual([
      { status: 'OUT_OF_QUOTA' },
      { status: 'INTERNAL_ERROR', reason: 'down' },
    ]);
    const taken = await Promise.all(Array.from({ length: 3 }, () => state.takeNextAnswer()));
    expect(taken).toEqual([{ status: 'OUT_OF_QUOTA' }, { status: 'INTERNAL_ERROR', reason: 'down' }, undefined]);
    await state.queueNextAnswer({ status: 'OK' });
    await state.reset();
    expect(await state.takeNextAnswer()).toBeUndefined();
  });

  it('subscribeJournal hears every entry recorded after it, until it unsubscribes', async () => {
    const state = await fresh();
    const heard: string[] = [];
    const entry = (requestId: string) => ({
      at: '2024-01-01T00:00:00.000Z',
      method: 'POST',
      path: '/',
      headers: {},
      body: { kind: 'unread' as const },
      status: 'OK' as const,
      httpCode: 200,
      requestId,
      decidedBy: 'derived' as const,
      latencyMs: 0,
      answer: { status: 'INTERNAL_ERROR' as const, reason: 'x', request_id: requestId },
    });
    await state.appendJournal(entry('before'));
    const stop = state.subscribeJournal((recorded) => heard.push(recorded.requestId ?? ''));
    await state.appendJournal(entry('one'));
    await state.appendJournal(entry('two'));
    stop();
    await state.appendJournal(entry('after'));
    expect(heard).toEqual(['one', 'two']);
  });

  it('replaceLatencyAndFaults bumps the version and keeps the counters', async () => {
    const state = await fresh();
    await state.consumeQuota('k', 1);
    const before = await state.readConfig();
    const version = await state.replaceLatencyAndFaults({ latency: { ms: 5 }, faults: { internalErrorRate: 0.5 } });
    expect(version).toBe(before.version + 1);
    expect(await state.readConfig()).toMatchObject({ latency: { ms: 5 }, faults: { internalErrorRate: 0.5 } });
    expect(await state.consumeQuota('k', 1)).toBe(false);
  });
});

describe.skipIf(!redis.available)('MockState (Redis) shared by two clients', () => {
  it('counts both clients against one quota, rate window and sequence', async () => {
    const prefix = uniquePrefix('shared');
    const [a, b] = [await redisState(prefix), await redisState(prefix)];
    const granted = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consumeQuota('k', 10)));
    expect(granted.filter(Boolean)).toHaveLength(10);
    const rate = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).tryAcquireRate('k', 3, 5)));
    expect(rate.filter(Boolean)).toHaveLength(3);
    const steps = await Promise.all(
      Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).takeSequenceStep('s', 3, false)),
    );
    expect(steps.sort()).toEqual([0, 1, 2, undefined]);
    expect((await b.readUsage(5)).keys.k).toEqual({ callsUsed: 10, callsInWindow: 3 });
  });

  it('a replacement through one client is the config of the other; one seeded draw sequence', async () => {
    const prefix = uniquePrefix('config');
    const [a, b] = [await redisState(prefix), await redisState(prefix)];
    const version = await a.replaceKeys([{ id: 'k', secret: 's' }]);
    expect(await b.readConfig()).toMatchObject({ version, keys: [{ id: 'k', secret: 's' }] });
    const draws = [await a.drawInteger(0, 1000), await b.drawInteger(0, 1000), await a.drawInteger(0, 1000)];
    await b.reset();
    expect([await b.drawInteger(0, 1000), await a.drawInteger(0, 1000), await b.drawInteger(0, 1000)]).toEqual(draws);
  });

  it("one client's journal entries reach the other's subscribers and journal", async () => {
    const prefix = uniquePrefix('journal');
    const [a, b] = [await redisState(prefix), await redisState(prefix)];
    const heard: string[] = [];
    b.subscribeJournal((entry) => heard.push(entry.requestId ?? ''));
    // The subscription is confirmed asynchronously: record until the other side hears one.
    await vi.waitFor(async () => {
      await a.appendJournal(entry('probe'));
      expect(heard).toContain('probe');
    });
    await a.appendJournal(entry('from-a'));
    await vi.waitFor(() => expect(heard).toContain('from-a'));
    expect((await b.listJournal()).requests.at(-1)?.requestId).toBe('from-a');
  });

  it('a replica with another config is refused; one with the same config joins', async () => {
    const prefix = uniquePrefix('seed');
    await redisState(prefix);
    await redisState(prefix);
    const other = await connectRedisState({
      url: server?.url ?? '',
      prefix,
      initial: { ...settings, seed: 2 },
    });
    expect(other.ok).toBe(false);
    expect(other.ok ? '' : other.reason).toMatch(/seeded from a different config/);
  });
});

function entry(requestId: string): JournalEntry {
  return {
    at: '2024-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/',
    headers: {},
    body: { kind: 'unread' },
    status: 'OK',
    httpCode: 200,
    requestId,
    decidedBy: 'route',
    latencyMs: 0,
    answer: { status: 'NOT_FOUND', reason: 'test entry', request_id: requestId },
  };
}
