import type { ScenarioStep } from '../config/mock-config.js';
import type { InitialState } from './initial-state.js';
import { type JournalListener, type MockState, RATE_WINDOW_MS, type ReplaceableConfig } from './mock-state.js';
import { RequestJournal } from './request-journal.js';
import { SeededRandom } from './seeded-random.js';
import { SlidingWindow } from './sliding-window.js';

/**
 * The default state: plain maps in this process. Each operation runs synchronously on Node's one thread, so each
 * is atomic; the promises only give it the shape a shared store needs.
 */
export function createInMemoryState(options: InitialState): MockState {
  let config: ReplaceableConfig = {
    version: 0,
    keys: options.keys,
    scenarios: options.scenarios,
    latency: options.latency,
    faults: options.faults,
  };
  const listeners = new Set<JournalListener>();
  const resetListeners = new Set<() => void>();
  const callsUsed = new Map<string, number>();
  const windows = new Map<string, SlidingWindow>();
  const positions = new Map<string, number>();
  const nextAnswers: ScenarioStep[] = [];
  const random = new SeededRandom(options.seed);
  const journal = new RequestJournal(options.journalLimit);

  return {
    async consumeQuota(keyId, quota) {
      const used = callsUsed.get(keyId) ?? 0;
      if (used >= quota) return false;
      callsUsed.set(keyId, used + 1);
      return true;
    },
    async tryAcquireRate(keyId, limit, nowMs) {
      let window = windows.get(keyId);
      if (window === undefined || window.limit !== limit) {
        window = new SlidingWindow(limit, RATE_WINDOW_MS);
        windows.set(keyId, window);
      }
      return window.tryAcquire(nowMs);
    },
    async takeSequenceStep(scenarioId, length, loop) {
      let next = positions.get(scenarioId) ?? 0;
      if (next >= length) {
        if (!loop || length === 0) return undefined;
        next = 0;
      }
      positions.set(scenarioId, next + 1);
      return next;
    },
    async queueNextAnswer(step) {
      nextAnswers.push(step);
      return nextAnswers.length;
    },
    async takeNextAnswer() {
      return nextAnswers.shift();
    },
    async drawInteger(min, max) {
      return random.integer(min, max);
    },
    async appendJournal(entry) {
      journal.record(entry);
      for (const listener of listeners) listener(entry);
    },
    async listJournal() {
      return journal.list();
    },
    async clearJournal() {
      return journal.clear();
    },
    async reset() {
      callsUsed.clear();
      windows.clear();
      positions.clear();
      nextAnswers.length = 0;
      random.reset();
      journal.clear();
      for (const listener of resetListeners) listener();
    },
    async readConfig() {
      return config;
    },
    async replaceKeys(keys) {
      config = { ...config, version: config.version + 1, keys };
      callsUsed.clear();
      windows.clear();
      return config.version;
    },
    async replaceScenarios(scenarios) {
      config = { ...config, version: config.version + 1, scenarios };
      positions.clear();
      return config.version;
    },
    async replaceLatencyAndFaults({ latency, faults }) {
      config = { ...config, version: config.version + 1, latency, faults };
      return config.version;
    },
    async readUsage(nowMs) {
      const keys: Record<string, { callsUsed: number; callsInWindow: number }> = {};
      for (const keyId of new Set([...callsUsed.keys(), ...windows.keys()])) {
        keys[keyId] = { callsUsed: callsUsed.get(keyId) ?? 0, callsInWindow: windows.get(keyId)?.countAt(nowMs) ?? 0 };
      }
      return { keys, sequences: Object.fromEntries(positions), nextAnswers: structuredClone(nextAnswers) };
    },
    subscribeJournal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeResets(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
    async listening() {},
    async close() {
      listeners.clear();
      resetListeners.clear();
    },
  };
}
