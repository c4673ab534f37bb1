import type { FaultConfig, KeyConfig, LatencyConfig, MockConfig, Scenario } from '../config/mock-config.js';

const DEFAULT_JOURNAL_LIMIT = 1000;
const DEFAULT_SEED = 1;

/** What a state starts from: the config's replaceable parts, the seed of the draws and the journal's cap. */
export interface InitialState {
  keys?: readonly KeyConfig[] | undefined;
  scenarios?: readonly Scenario[] | undefined;
  latency?: LatencyConfig | undefined;
  faults?: FaultConfig | undefined;
  seed: number;
  journalLimit: number;
}

/** The config's share of the running state, with the defaults filled in: one place for both kinds of state. */
export function initialStateOf(config: MockConfig): InitialState {
  return {
    keys: config.keys,
    scenarios: config.scenarios,
    latency: config.latency,
    faults: config.faults,
    seed: config.seed ?? DEFAULT_SEED,
    journalLimit: config.journal?.limit ?? DEFAULT_JOURNAL_LIMIT,
  };
}
