import type { ErrorStatus } from '../types.js';

export interface RetryOptions {
  /** How many times to try again after the first attempt; 0 turns retrying off. */
  retries: number;
  /** The delay before the first retry, before jitter. */
  minDelayMs: number;
  /** The ceiling of any one delay. */
  maxDelayMs: number;
}

/**
 * The status values worth another try: both are transient by their vendor description ("The invoke number is out
 * of limitation", "Server processes failed"). Every other error repeats itself, and OUT_OF_QUOTA in particular
 * must not be hammered.
 */
const RETRYABLE: ReadonlySet<ErrorStatus> = new Set<ErrorStatus>(['RATE_LIMIT_EXCEEDED', 'INTERNAL_ERROR']);

export function isRetryable(status: ErrorStatus): boolean {
  return RETRYABLE.has(status);
}

export const NO_RETRY: RetryOptions = Object.freeze({ retries: 0, minDelayMs: 0, maxDelayMs: 0 });

/** Refuses retry options that would loop forever or wait a negative time; the message names the bad field. */
export function checkRetryOptions(retry: RetryOptions): RetryOptions {
  const { retries, minDelayMs, maxDelayMs } = retry;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retry.retries must be an integer >= 0`);
  if (!(minDelayMs >= 0)) throw new RangeError(`retry.minDelayMs must be >= 0`);
  if (!(maxDelayMs >= minDelayMs)) throw new RangeError(`retry.maxDelayMs must be >= retry.minDelayMs`);
  return { retries, minDelayMs, maxDelayMs };
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (n = 0, 1, ...) waits between half and all of
 * min(maxDelayMs, minDelayMs * 2^n). Jitter spreads the retries of many clients hit by the same rate limit;
 * keeping half the delay fixed still guarantees the backoff grows.
 */
export function backoffDelay(retryIndex: number, retry: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** retryIndex);
  return ceiling / 2 + random() * (ceiling / 2);
}
