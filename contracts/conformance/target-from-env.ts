import { vendorBaseUrl } from '../../src/spec/spec-document.js';
import type { ProbeTarget } from './run-probes.js';

export { vendorBaseUrl };

export const CREDENTIALS_MISSING = 'ACCUAUTH_API_ID and ACCUAUTH_API_SECRET are not set';

export interface TargetSettings {
  baseUrl?: string | undefined;
  apiId?: string | undefined;
  apiSecret?: string | undefined;
}

/** Explicit settings (CLI flags) first, then the environment; the base URL defaults to the vendor's. */
export function targetSettingsFrom(
  env: NodeJS.ProcessEnv,
  settings: TargetSettings = {},
): { baseUrl: string; apiId: string | undefined; apiSecret: string | undefined } {
  return {
    baseUrl: settings.baseUrl || env.ACCUAUTH_BASE_URL || vendorBaseUrl(),
    apiId: settings.apiId || env.ACCUAUTH_API_ID,
    apiSecret: settings.apiSecret || env.ACCUAUTH_API_SECRET,
  };
}

/**
 * The live target from explicit settings (CLI flags) falling back to ACCUAUTH_BASE_URL, ACCUAUTH_API_ID and
 * ACCUAUTH_API_SECRET, the base URL to the vendor's. Without both credentials there is no target: a live run
 * without a key would only ever learn the vendor's refusals.
 */
export function liveTargetFrom(
  env: NodeJS.ProcessEnv,
  settings: TargetSettings = {},
): { ok: true; target: ProbeTarget & { apiId: string; apiSecret: string } } | { ok: false; reason: string } {
  const { baseUrl, apiId, apiSecret } = targetSettingsFrom(env, settings);
  if (!apiId || !apiSecret) return { ok: false, reason: CREDENTIALS_MISSING };
  return { ok: true, target: { baseUrl, apiId, apiSecret } };
}

/**
 * The gate of every run that talks to the live API (the live probes, the live pact verification): credentials in
 * the environment, and ACCUAUTH_LIVE=1, which only `npm run contracts:live` sets, so that plain `npm test` never
 * spends vendor quota even when a developer's shell holds the credentials. `demanded` says the live run was asked
 * for (ACCUAUTH_LIVE=1): then a missing target is a failure, not a skip, so a nightly job whose secret was lost
 * goes red instead of passing with nothing checked.
 */
export function liveRunTarget(
  env: NodeJS.ProcessEnv,
):
  | { ok: true; target: ProbeTarget & { apiId: string; apiSecret: string } }
  | { ok: false; reason: string; demanded: boolean } {
  const resolved = liveTargetFrom(env);
  const demanded = env.ACCUAUTH_LIVE === '1';
  if (!resolved.ok) return { ...resolved, demanded };
  if (!demanded) {
    return { ok: false, reason: 'only `npm run contracts:live` sends requests to the vendor', demanded };
  }
  return resolved;
}
