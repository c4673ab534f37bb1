/**
 * At most `limit` accepted calls in any sliding window of `windowMs`. It keeps the instants of the last `limit`
 * accepted calls in a ring: a call is accepted when the oldest of them is at least `windowMs` old. That is exact
 * (no bucket edges letting 2x through) and costs O(1) and no allocation per call. Exact under concurrency because
 * each call runs synchronously on Node's one thread; the instant is when the core judges the request's head
 * (before its body is read), not when the first byte arrived. The in-memory state keeps one per limited key.
 */
export class SlidingWindow {
  private readonly stamps: Float64Array;
  private oldest = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.stamps = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
  }

  /** Counts the call and returns true, or returns false (not counted) when the window is full. */
  tryAcquire(nowMs: number): boolean {
    const oldest = this.stamps[this.oldest] ?? Number.NEGATIVE_INFINITY;
    if (nowMs - oldest < this.windowMs) return false;
    this.stamps[this.oldest] = nowMs;
    this.oldest = (this.oldest + 1) % this.limit;
    return true;
  }

  /** How many accepted calls lie within the window that ends at `nowMs`. */
  countAt(nowMs: number): number {
    let count = 0;
    for (const stamp of this.stamps) if (nowMs - stamp < this.windowMs && stamp <= nowMs) count += 1;
    return count;
  }
}
