import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { MockConfig } from '../src/core/config/mock-config.js';
import type { MockCore } from '../src/core/mock-core.js';
import { redact } from '../src/secret-redaction.js';
import { logAt, type MockLogger } from './express/request-log.js';

/** What a reload did: the sections it put in force, or why it refused the file (the running config stays). */
export type ConfigReloadOutcome =
  | { ok: true; replaced: ReloadSection[]; needRestart: RestartSection[] }
  | { ok: false; reason: string };

/** The sections a reload puts in force, through the same core calls as the admin API. */
export type ReloadSection = 'keys' | 'scenarios' | 'latency' | 'faults';
/**
 * Read once at start: a change is reported, and takes effect at the next start. Decisions size the body readers,
 * and cassettes and the state store are opened, when the mock starts; ignoring a change to them silently would leave
 * a user believing the file is in force.
 */
export type RestartSection =
  | 'seed'
  | 'journal'
  | 'cors'
  | 'decisions'
  | 'cassettes'
  | 'state'
  | 'statePrefix'
  | 'coverage'
  | 'audit';

const RESTART_SECTIONS: readonly RestartSection[] = [
  'seed',
  'journal',
  'cors',
  'decisions',
  'cassettes',
  'state',
  'statePrefix',
  // The client judge counts from the start with these settings; changing them mid-count would mix two judgements.
  'coverage',
  'audit',
];

/**
 * Reads the config file again and puts in force each section that changed since it was last loaded, as the admin
 * API would: new keys forget every key's counters (quota used, rate window), new scenarios restart their sequences,
 * latency and faults keep the counters. A section the file did not change is left as it runs (an admin API change
 * to it included), so its counters are kept. A file that does not validate changes nothing. Reloads run one at a
 * time, in the order asked.
 */
export function createConfigReloader(
  path: string,
  loaded: MockConfig,
  core: Pick<MockCore, 'replaceKeys' | 'replaceScenarios' | 'replaceLatencyAndFaults'>,
  logger: MockLogger | undefined,
): () => Promise<ConfigReloadOutcome> {
  const started = loaded;
  let last = loaded;
  let queue: Promise<unknown> = Promise.resolve();

  async function reloadOnce(): Promise<ConfigReloadOutcome> {
    // Loaded on first use, as start-mock does, so a mock started without config never loads ajv.
    const { readMockConfigFile } = await import('../src/core/config/load-mock-config.js');
    const read = readMockConfigFile(path);
    if (!read.ok) {
      // A syntax error quotes the offending line, which may hold a secret: keep the running keys' secrets out.
      const reason = redact(
        read.reason,
        (last.keys ?? []).map((key) => key.secret),
      );
      logAt(logger, 'error', { path, reason }, 'config reload refused; the running config stays');
      return { ok: false, reason };
    }
    const next = read.config;
    const changed = (section: keyof MockConfig) => !isDeepStrictEqual(next[section], last[section]);
    const replaced: ReloadSection[] = [];
    if (changed('keys')) {
      await core.replaceKeys(next.keys);
      replaced.push('keys');
    }
    if (changed('scenarios')) {
      await core.replaceScenarios(next.scenarios ?? []);
      replaced.push('scenarios');
    }
    if (changed('latency') || changed('faults')) {
      await core.replaceLatencyAndFaults({ latency: next.latency, faults: next.faults });
      if (changed('latency')) replaced.push('latency');
      if (changed('faults')) replaced.push('faults');
    }
    last = next;
    const needRestart = RESTART_SECTIONS.filter((section) => !isDeepStrictEqual(next[section], started[section]));
    logger?.info(
      { path, replaced, ...(replaced.includes('keys') ? { counters: 'restarted (keys changed)' } : {}) },
      replaced.length > 0 ? 'config reloaded' : 'config reloaded; nothing changed',
    );
    if (needRestart.length > 0) {
      logAt(
        logger,
        'warn',
        { path, needRestart },
        `config: ${needRestart.join(', ')} changed; that takes effect at the next start`,
      );
    }
    return { ok: true, replaced, needRestart };
  }

  return () => {
    const run = queue.then(reloadOnce, reloadOnce);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** Quiet time after the last change before a reload: an editor's save is often several writes and a rename. */
export const WATCH_DEBOUNCE_MS = 150;

/**
 * Calls `onChange` once the config file's content changed and then stayed still for `debounceMs`. It watches
 * the file's directory, not the file: editors and Kubernetes ConfigMaps replace a file by a rename, which would
 * leave a watch on the old file blind. Any event in the directory leads to a read; only a changed content counts.
 */
export function watchConfigFile(
  path: string,
  onChange: () => void,
  debounceMs: number = WATCH_DEBOUNCE_MS,
): { close(): void } {
  const read = () => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // Between a delete and a rename the file may be missing; the next event reads it again.
      return undefined;
    }
  };
  let seen = read();
  let timer: NodeJS.Timeout | undefined;
  const name = basename(path);
  const watcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, file) => {
    if (file !== null && file !== name && !file.startsWith('..')) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const text = read();
      if (text === undefined || text === seen) return;
      seen = text;
      onChange();
    }, debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
