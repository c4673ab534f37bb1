import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { MAX_CONFIG_BYTES, readRegularFileSync } from '../src/regular-file-read.js';
import { redact } from '../src/secret-redaction.js';
import {
  type MockConfig,
  type MockControl,
  RESTART_SECTIONS,
  type ReloadSection,
  type RestartSection,
} from './core/index.js';
import { logAt, type MockLogger } from './express/request-log.js';

/** What a reload did: the sections it put in force, or why it refused the file (the running config stays). */
export type ConfigReloadOutcome =
  | {
      ok: true;
      replaced: ReloadSection[];
      needRestart: RestartSection[];
      /** Set when the reload removed every key: the mock now accepts any non-empty credential pair. */
      warning?: string;
    }
  | { ok: false; reason: string };

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
  core: Pick<MockControl, 'replaceKeys' | 'replaceScenarios' | 'replaceLatencyAndFaults'>,
  logger: MockLogger | undefined,
): () => Promise<ConfigReloadOutcome> {
  const started = loaded;
  let last = loaded;
  let queue: Promise<unknown> = Promise.resolve();

  async function reloadOnce(): Promise<ConfigReloadOutcome> {
    // Loaded on first use, as start-mock does, so a mock started without config never loads ajv.
    const { readMockConfigFile } = await import('./core/config-checks.js');
    const runningSecrets = (last.keys ?? []).map((key) => key.secret);
    // An empty document is refused here though it is the default config at start: editors truncate a file while
    // they save it, and reading that moment as "no keys" would open the mock to any credentials.
    const read = readMockConfigFile(path, { emptyIsDefault: false, knownSecrets: runningSecrets });
    if (!read.ok) {
      // A syntax error quotes the offending line, which may hold a secret: keep the running keys' secrets out.
      const reason = redact(read.reason, runningSecrets);
      logAt(logger, 'error', { path, reason }, 'config reload refused; the running config stays');
      return { ok: false, reason };
    }
    const next = read.config;
    const changed = (section: keyof MockConfig) => !isDeepStrictEqual(next[section], last[section]);
    const replaced: ReloadSection[] = [];
    // A file that had keys and now has none is applied (it is a valid config, and the file is what the user wants
    // in force) but said loudly: from now on any non-empty pair is accepted, as if the mock had no keys at start.
    const opened =
      (last.keys?.length ?? 0) > 0 && next.keys === undefined
        ? `config reload removed every key: the mock now accepts ANY non-empty X-DF-API-ID / X-DF-API-SECRET pair ` +
          `(anyPairAccepted); put keys back in ${path} to check credentials again`
        : undefined;
    if (changed('keys')) {
      await core.replaceKeys(next.keys);
      replaced.push('keys');
    }
    if (opened) logAt(logger, 'warn', { path, anyPairAccepted: true }, opened);
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
    return { ok: true, replaced, needRestart, ...(opened ? { warning: opened } : {}) };
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
    // Between a delete and a rename the file may be missing; the next event reads it again. A path that became a
    // FIFO or a device is never read here (it would block or never end); the reload says what it is.
    const text = readRegularFileSync(path, { what: 'config file', maxBytes: MAX_CONFIG_BYTES });
    return text.ok ? text.text : text.missing ? undefined : text.reason;
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
