import type { FaultConfig, KeyConfig, LatencyConfig, Scenario, ScenarioStep } from '../config/mock-config.js';
import type { JournalEntry, JournalPage } from './request-journal.js';

/** The keys and scenarios in force (the config's, or what the admin API put in their place), with a version. */
export interface ReplaceableConfig {
  /** Bumped by every replacement, so a core can keep what it compiled from a version until the next one. */
  readonly version: number;
  /** `undefined`: no keys configured, any non-empty id/secret pair is accepted. */
  readonly keys: readonly KeyConfig[] | undefined;
  /** `undefined`: none configured. */
  readonly scenarios: readonly Scenario[] | undefined;
  /** The configured latency and faults, or what the admin API changed them to; `undefined`: none. */
  readonly latency: LatencyConfig | undefined;
  readonly faults: FaultConfig | undefined;
}

/** The counters behind the admin API's and the dashboard's views; read off the request path, never on it. */
export interface StateUsage {
  /** Per key id that has been used since the last reset: calls counted against its quota, and calls accepted in its
   * rate window ending at the instant asked about. */
  keys: Record<string, { callsUsed: number; callsInWindow: number }>;
  /** Per scenario id (as the scenario stage names them): the index of the step the next matching call takes. */
  sequences: Record<string, number>;
  /** The answers queued for the next calls (`queueNextAnswer`), the next one first. */
  nextAnswers: ScenarioStep[];
}

/** Called with each journal entry as it is recorded, by whichever process recorded it. */
export type JournalListener = (entry: JournalEntry) => void;

/**
 * All running state of a mock: each key's quota used and rate window, scenario sequence positions, the seeded
 * draws for faults and latency, the request journal, and the keys and scenarios in force. Every operation a stage
 * needs is one call that is atomic by itself (the core never reads, awaits, then writes), so that a store shared by
 * several mock processes can implement it with one atomic step each (a Lua script in Redis, say) and no stage
 * changes. The in-memory implementation (`createInMemoryState`) is the default.
 */
export interface MockState {
  /** Counts one call against `quota` and returns true, or returns false (not counted) when it is used up. */
  consumeQuota(keyId: string, quota: number): Promise<boolean>;
  /**
   * Counts one call in the key's sliding window of `RATE_WINDOW_MS` and returns true, or returns false (not
   * counted) when `limit` calls were accepted within the window before `nowMs`.
   */
  tryAcquireRate(keyId: string, limit: number, nowMs: number): Promise<boolean>;
  /**
   * The index of the scenario's step that answers this request, advancing its position; `undefined` when a
   * sequence of `length` steps is used up and does not `loop`.
   */
  takeSequenceStep(scenarioId: string, length: number, loop: boolean): Promise<number | undefined>;
  /** Queues a one-shot answer for a coming call, after those already queued; resolves to how many are queued. */
  queueNextAnswer(step: ScenarioStep): Promise<number>;
  /** Takes the first queued one-shot answer (removing it), or `undefined` when none is queued. */
  takeNextAnswer(): Promise<ScenarioStep | undefined>;
  /** The next integer in min..max (inclusive) of the seeded sequence shared by fault and latency draws. */
  drawInteger(min: number, max: number): Promise<number>;
  appendJournal(entry: JournalEntry): Promise<void>;
  listJournal(): Promise<JournalPage>;
  /** Empties the journal; resolves to how many entries it held. */
  clearJournal(): Promise<number>;
  /** Forgets quotas used, rate windows, sequence positions, queued next answers, the seeded sequence and the journal. */
  reset(): Promise<void>;
  readConfig(): Promise<ReplaceableConfig>;
  /** Puts `keys` in force and forgets every key's quota used and rate window; resolves to the new version. */
  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<number>;
  /** Puts `scenarios` in force and forgets every sequence position; resolves to the new version. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<number>;
  /** Puts latency and faults in force (`undefined`: none); counters are kept. Resolves to the new version. */
  replaceLatencyAndFaults(settings: {
    latency: LatencyConfig | undefined;
    faults: FaultConfig | undefined;
  }): Promise<number>;
  /** The counters as they stand at `nowMs`, for people: the admin API and the dashboard. */
  readUsage(nowMs: number): Promise<StateUsage>;
  /**
   * Calls `listener` with every journal entry recorded from now on, by this process or (for a shared store) any
   * other mock sharing the state; returns the function that stops it. Listeners must not throw.
   */
  subscribeJournal(listener: JournalListener): () => void;
  /**
   * Calls `listener` after every `reset()`, by this process or (for a shared store) any other mock sharing the
   * state, so what counts the journal's entries (the client judge) starts afresh with it; returns the function that
   * stops it. Listeners must not throw.
   */
  subscribeResets(listener: () => void): () => void;
  /**
   * Resolves once entries and resets recorded by other mocks sharing the state are heard (at once for the
   * in-memory state): a server waits for it before it listens, so its judge misses no replica's call.
   */
  listening(): Promise<void>;
  /** Releases what the state holds outside this process (connections); the in-memory state has nothing to release. */
  close(): Promise<void>;
}

/** The rate limit's window: the config's `rateLimit` counts accepted calls per sliding second. */
export const RATE_WINDOW_MS = 1000;

/**
 * Thrown by a shared store's operations when the store cannot be reached (connection lost, refused, or no answer
 * in time). The core turns it into the documented `500 INTERNAL_ERROR` answer in one place; nothing else catches
 * it. `reason` says so in words a caller of the mock can act on, and never holds credentials.
 */
export class StateUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StateUnavailableError';
  }
}
