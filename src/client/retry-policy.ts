import type { ErrorStatus } from '../types.js';

export interface RetryOptions {
  /** How many times to try again after the first attempt; 0 turns retrying off. */
  retries: number;
  /** The delay before the first retry, before jitter. Default 200 ms. */
  minDelayMs?: number;
  /** The ceiling of any one delay. Default 2000 ms, or minDelayMs when that is larger. */
  maxDelayMs?: number;
}

/** Retry options with every field decided. */
export type ResolvedRetryOptions = Required<RetryOptions>;

const DEFAULT_MIN_DELAY_MS = 200;
const DEFAULT_MAX_DELAY_MS = 2_000;

/**
 * The status values worth another try: both are transient by their vendor description ("The invoke number is out
 * of limitation", "Server processes failed"). Every other error repeats itself, and OUT_OF_QUOTA in particular
 * must not be hammered.
 */
const RETRYABLE: ReadonlySet<ErrorStatus> = new Set<ErrorStatus>(['RATE_LIMIT_EXCEEDED', 'INTERNAL_ERROR']);

export function isRetryable(status: ErrorStatus): boolean {
  return RETRYABLE.has(status);
}

export const NO_RETRY: ResolvedRetryOptions = Object.freeze({ retries: 0, minDelayMs: 0, maxDelayMs: 0 });

/**
 * Refuses retry options that would loop forever or wait a negative time, and fills in the delays left out; the
 * message names the bad field and says whether it is missing, of the wrong type, or out of range.
 */
export function checkRetryOptions(retry: RetryOptions): ResolvedRetryOptions {
  const retries = numberField(retry, 'retries');
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`retry.retries must be an integer >= 0, got ${retries}`);
  }
  const minDelayMs = numberField(retry, 'minDelayMs', DEFAULT_MIN_DELAY_MS);
  if (!(minDelayMs >= 0)) throw new RangeError(`retry.minDelayMs must be >= 0, got ${minDelayMs}`);
  const maxDelayMs = numberField(retry, 'maxDelayMs', Math.max(DEFAULT_MAX_DELAY_MS, minDelayMs));
  if (!(maxDelayMs >= minDelayMs)) {
    throw new RangeError(`retry.maxDelayMs must be >= retry.minDelayMs (${minDelayMs}), got ${maxDelayMs}`);
  }
  return { retries, minDelayMs, maxDelayMs };
}

function numberField(retry: RetryOptions, name: keyof RetryOptions, fallback?: number): number {
  const value: unknown = (retry as unknown as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new TypeError(`retry.${name} is missing: give the number of retries, e.g. retry: { retries: 3 }`);
  }
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`retry.${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (n = 0, 1, ...) waits between half and all of
 * min(maxDelayMs, minDelayMs * 2^n). Jitter spreads the retries of many clients hit by the same rate limit;
 * keeping half the delay fixed still guarantees the backoff grows.
 */
export function backoffDelay(
  retryIndex: number,
  retry: ResolvedRetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** retryIndex);
  return ceiling / 2 + random() * (ceiling / 2);
}
