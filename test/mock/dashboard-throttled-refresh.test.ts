import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledRefresh } from '../../mock/admin/dashboard/page/throttled-refresh.js';

/**
 * The dashboard's panels are read again after calls arrive through one throttle (page module, run here under
 * Node with a moved clock): a burst costs a few reads, the last call is never missed, reads never overlap.
 */
describe("the dashboard's throttled refresh", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads once for a burst of asks inside the delay, and not before the delay', async () => {
    const refresh = vi.fn(async () => {});
    const ask = throttledRefresh(refresh, 300, () => {});
    for (let i = 0; i < 100; i += 1) ask();
    await vi.advanceTimersByTimeAsync(299);
    expect(refresh).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('reads at most once per delay over a long stream of asks, and once more after the last', async () => {
    const refresh = vi.fn(async () => {});
    const ask = throttledRefresh(refresh, 300, () => {});
    // An ask every 10 ms for 3 s: one read per 300 ms window, not 300 reads.
    for (let t = 0; t < 3000; t += 10) {
      ask();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(9);
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(10);
    await vi.advanceTimersByTimeAsync(300);
    const settled = refresh.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh.mock.calls.length).toBe(settled);
  });

  it('never runs two reads at once: an ask during a slow read is served by one read after it', async () => {
    let running = 0;
    let most = 0;
    const refresh = vi.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      running -= 1;
    });
    const ask = throttledRefresh(refresh, 300, () => {});
    ask();
    await vi.advanceTimersByTimeAsync(400);
    expect(refresh).toHaveBeenCalledTimes(1);
    ask();
    ask();
    await vi.advanceTimersByTimeAsync(900);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('hands a failed read to onError and keeps serving asks', async () => {
    const errors: unknown[] = [];
    const refresh = vi.fn(async () => {
      if (refresh.mock.calls.length === 1) throw new Error('admin API down');
    });
    const ask = throttledRefresh(refresh, 300, (error) => errors.push(error));
    ask();
    await vi.advanceTimersByTimeAsync(300);
    expect(errors).toEqual([new Error('admin API down')]);
    ask();
    await vi.advanceTimersByTimeAsync(300);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(1);
  });
});
