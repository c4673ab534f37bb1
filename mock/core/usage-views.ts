import type { KeyConfig, Scenario, ScenarioStep } from './config/mock-config.js';
import { scenarioLabel, scenarioStateId } from './stages/scenarios.js';
import { RATE_WINDOW_MS, type ReplaceableConfig, type StateUsage } from './state/mock-state.js';

/** A key as people see it (admin API, dashboard): its rules and counters, never its secret. */
export interface KeyView {
  id: string;
  /** false: the key is not configured (any pair is accepted and this id was used). */
  configured: boolean;
  quota: number | null;
  callsUsed: number;
  /** `null`: no quota. */
  callsLeft: number | null;
  rateLimit: number | null;
  rateWindowMs: number;
  callsInWindow: number;
  expiresAt: string | null;
  expired: boolean;
  permission: boolean;
}

export interface ScenarioView {
  index: number;
  /** What the journal calls it: its name, else `#index`. */
  label: string;
  match: Scenario['match'] | null;
  steps: ScenarioStep[];
  loop: boolean;
  /** The index of the step the next matching call takes; `null` when a sequence is used up. */
  nextStep: number | null;
}

export interface ScenariosView {
  scenarios: ScenarioView[];
  /** The next answers: one-shot answers queued by `POST /__admin/next`, taken before any scenario, first first. */
  nextAnswers: ScenarioStep[];
}

export function keyViews(
  keys: readonly KeyConfig[] | undefined,
  usage: StateUsage,
  nowMs: number,
): { anyPairAccepted: boolean; keys: KeyView[] } {
  const counters = (id: string) => usage.keys[id] ?? { callsUsed: 0, callsInWindow: 0 };
  if (keys === undefined) {
    const seen = Object.keys(usage.keys).map((id) => view({ id, secret: '' }, false));
    return { anyPairAccepted: true, keys: seen };
  }
  return { anyPairAccepted: false, keys: keys.map((key) => view(key, true)) };

  function view(key: KeyConfig, configured: boolean): KeyView {
    const { callsUsed, callsInWindow } = counters(key.id);
    const expiresAtMs = key.expiresAt === undefined ? undefined : Date.parse(key.expiresAt);
    return {
      id: key.id,
      configured,
      quota: key.quota ?? null,
      callsUsed,
      callsLeft: key.quota === undefined ? null : Math.max(0, key.quota - callsUsed),
      rateLimit: key.rateLimit ?? null,
      rateWindowMs: RATE_WINDOW_MS,
      callsInWindow,
      expiresAt: key.expiresAt ?? null,
      expired: expiresAtMs !== undefined && nowMs >= expiresAtMs,
      permission: key.permission !== false,
    };
  }
}

export function scenariosView(config: ReplaceableConfig, usage: StateUsage): ScenariosView {
  const scenarios = (config.scenarios ?? []).map((scenario, index): ScenarioView => {
    const steps = scenario.sequence ?? (scenario.respond ? [scenario.respond] : []);
    const loop = scenario.loop === true || scenario.respond !== undefined;
    // The state keeps the index of the step the next call takes, past the end once a sequence is used up.
    const taken = usage.sequences[scenarioStateId(config.version, index)] ?? 0;
    const nextStep = taken < steps.length ? taken : loop && steps.length > 0 ? 0 : null;
    return {
      index,
      label: scenarioLabel(scenario, index),
      match: scenario.match ?? null,
      steps: structuredClone(steps),
      loop,
      nextStep,
    };
  });
  return { scenarios, nextAnswers: usage.nextAnswers };
}
