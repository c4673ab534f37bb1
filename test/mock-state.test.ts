import { describe, expect, it } from 'vitest';
import { createInMemoryState } from '../src/core/state/in-memory-state.js';
import type { MockState } from '../src/core/state/mock-state.js';

// The contract every MockState keeps (the in-memory one today; a shared store later runs the same cases): each
// operation is one atomic call, so concurrent callers are counted exactly once each.
const fresh = (): MockState => createInMemoryState({ seed: 1, journalLimit: 3 });

describe('MockState (in memory)', () => {
  it('consumeQuota grants exactly `quota` of many concurrent calls', async () => {
    const state = fresh();
    const granted = await Promise.all(Array.from({ length: 40 }, () => state.consumeQuota('k', 10)));
    expect(granted.filter(Boolean)).toHaveLength(10);
  });

  it('tryAcquireRate accepts `limit` calls per sliding window and counts no refusal', async () => {
    const state = fresh();
    const at0 = await Promise.all(Array.from({ length: 12 }, () => state.tryAcquireRate('k', 3, 0)));
    expect(at0.filter(Boolean)).toHaveLength(3);
    expect(await state.tryAcquireRate('k', 3, 999)).toBe(false);
    expect(await state.tryAcquireRate('k', 3, 1000)).toBe(true);
  });

  it('takeSequenceStep hands each step out once, then stops or loops', async () => {
    const state = fresh();
    const steps = await Promise.all(Array.from({ length: 4 }, () => state.takeSequenceStep('s', 3, false)));
    expect(steps).toEqual([0, 1, 2, undefined]);
    const looped = await Promise.all(Array.from({ length: 4 }, () => state.takeSequenceStep('l', 2, true)));
    expect(looped).toEqual([0, 1, 0, 1]);
  });

  it('reset forgets quotas, windows, positions, draws and the journal; replacing keys bumps the version', async () => {
    const state = fresh();
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
    const state = fresh();
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
    const state = fresh();
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
    const state = fresh();
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
    const state = fresh();
    await state.consumeQuota('k', 1);
    const before = await state.readConfig();
    const version = await state.replaceLatencyAndFaults({ latency: { ms: 5 }, faults: { internalErrorRate: 0.5 } });
    expect(version).toBe(before.version + 1);
    expect(await state.readConfig()).toMatchObject({ latency: { ms: 5 }, faults: { internalErrorRate: 0.5 } });
    expect(await state.consumeQuota('k', 1)).toBe(false);
  });
});
