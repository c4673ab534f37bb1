import type { PredictGenderResult } from '../../../src/types.js';
import type { components } from './mock-config.generated.js';

/**
 * The mock's configuration. Its one description is `mock-config.schema.json` (next to this file), which the loader
 * validates every input against before the core sees it; `npm run generate` makes the types below from it
 * (mock/core/config/mock-config.generated.ts, see scripts/mock-config-types.ts). Only a step's `result` is refined here: the
 * schema leaves it an object because the loader checks it against the spec's PredictGenderResult, whose type is
 * the spec's.
 */
type Schemas = components['schemas'];

export type MockConfig = Omit<Schemas['MockConfig'], 'scenarios'> & { scenarios?: Scenario[] };

export type KeyConfig = Schemas['Key'];

export type Scenario = Omit<Schemas['Scenario'], 'respond' | 'sequence'> & {
  respond?: ScenarioStep;
  sequence?: ScenarioStep[];
};

export type ScenarioMatch = Schemas['Match'];

export type ScenarioStep = Omit<Schemas['Step'], 'result'> & { result?: PredictGenderResult };

export type LatencyConfig = Schemas['Latency'];

export type FaultConfig = Schemas['Faults'];
