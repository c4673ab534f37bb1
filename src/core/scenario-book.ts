import type { Scenario, ScenarioMatch, ScenarioStep } from './config/mock-config.js';
import type { ImageField } from './request-body.js';

/** What a scenario can match on. */
export interface ScenarioContext {
  keyId: string;
  field: ImageField;
  headers: Readonly<Record<string, string | undefined>>;
  /** The image's sha256, lowercase hex: computed once per request by the core for the journal and the result. */
  imageSha256: string;
}

interface ScenarioState {
  readonly scenario: Scenario;
  readonly steps: readonly ScenarioStep[];
  readonly header: readonly (readonly [string, string])[];
  next: number;
}

/**
 * The scripted answers, tried in order; the first scenario that matches and still has a step answers. A
 * `respond` scenario is a one-step loop; a `sequence` advances one step per matching request and, unless `loop`,
 * stops matching when used up, so later scenarios and the default behaviour answer again.
 */
export class ScenarioBook {
  private readonly states: ScenarioState[];

  constructor(readonly scenarios: readonly Scenario[]) {
    this.states = scenarios.map((scenario) => ({
      scenario,
      steps: scenario.sequence ?? (scenario.respond ? [scenario.respond] : []),
      // Header names are case-insensitive; the adapter lowercases the request's, so lowercase the rule's once.
      header: Object.entries(scenario.match?.header ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const),
      next: 0,
    }));
  }

  /** The step to answer, or undefined when no scenario applies. Advances the matching sequence. */
  take(context: ScenarioContext): { step: ScenarioStep; scenario: Scenario } | undefined {
    for (const state of this.states) {
      if (!matches(state, state.scenario.match, context)) continue;
      const looping = state.scenario.loop === true || state.scenario.respond !== undefined;
      if (state.next >= state.steps.length) {
        if (!looping) continue;
        state.next = 0;
      }
      const step = state.steps[state.next];
      if (!step) continue;
      state.next += 1;
      return { step, scenario: state.scenario };
    }
    return undefined;
  }

  /** Every sequence starts again from its first step. */
  reset(): void {
    for (const state of this.states) state.next = 0;
  }
}

function matches(state: ScenarioState, match: ScenarioMatch | undefined, context: ScenarioContext): boolean {
  if (!match) return true;
  if (match.keyId !== undefined && match.keyId !== context.keyId) return false;
  if (match.field !== undefined && match.field !== context.field) return false;
  for (const [name, value] of state.header) if (context.headers[name] !== value) return false;
  if (match.imageSha256 !== undefined && match.imageSha256 !== context.imageSha256) return false;
  return true;
}
