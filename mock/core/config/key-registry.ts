import type { KeyConfig } from './mock-config.js';

/** A configured key, with `expiresAt` parsed once. Its running state (quota used, rate window) is in MockState. */
export interface RegisteredKey {
  readonly config: KeyConfig;
  /** `expiresAt` in epoch ms. */
  readonly expiresAtMs: number | undefined;
}

/** The configured keys by id; `undefined` when none are configured (then any non-empty pair is accepted). */
export type KeyRegistry = ReadonlyMap<string, RegisteredKey> | undefined;

export function buildKeyRegistry(keys: readonly KeyConfig[] | undefined): KeyRegistry {
  if (!keys) return undefined;
  const registry = new Map<string, RegisteredKey>();
  for (const config of keys) {
    registry.set(config.id, {
      config,
      expiresAtMs: config.expiresAt === undefined ? undefined : Date.parse(config.expiresAt),
    });
  }
  return registry;
}
