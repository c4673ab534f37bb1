import type { KeyConfig } from './config/mock-config.js';
import { SlidingWindowRateLimiter } from './rate-limiter.js';

/** A configured key with its running state: calls used against the quota, its rate window. */
export interface KeyState {
  readonly config: KeyConfig;
  /** `expiresAt` parsed once, in epoch ms. */
  readonly expiresAtMs: number | undefined;
  readonly rateLimiter: SlidingWindowRateLimiter | undefined;
  callsUsed: number;
}

/** The configured keys by id; `undefined` when none are configured (then any non-empty pair is accepted). */
export type KeyRegistry = ReadonlyMap<string, KeyState> | undefined;

export function buildKeyRegistry(keys: readonly KeyConfig[] | undefined): KeyRegistry {
  if (!keys) return undefined;
  const registry = new Map<string, KeyState>();
  for (const config of keys) {
    registry.set(config.id, {
      config,
      expiresAtMs: config.expiresAt === undefined ? undefined : Date.parse(config.expiresAt),
      rateLimiter: config.rateLimit === undefined ? undefined : new SlidingWindowRateLimiter(config.rateLimit),
      callsUsed: 0,
    });
  }
  return registry;
}

/** Forgets calls used and rate windows (POST /__admin/reset). */
export function resetKeyRegistry(registry: KeyRegistry): void {
  for (const state of registry?.values() ?? []) {
    state.callsUsed = 0;
    state.rateLimiter?.reset();
  }
}
