import type { MockConfig } from './mock-config.js';

/**
 * What a changed config file does to a running mock, section by section: the one table the reloader, the CLI and
 * the guides read. `reload`: put in force by a reload (`--watch`, SIGHUP, `reloadConfig()`) through the same core
 * calls as the admin API. `restart`: read once at start (decisions size the body readers; cassettes and the state
 * store are opened then), so a change is reported and takes effect at the next start rather than ignored silently.
 * Every section of the config must be listed here: the type checker refuses a new one that is not.
 */
export const CONFIG_SECTION_CHANGES = {
  keys: 'reload',
  scenarios: 'reload',
  latency: 'reload',
  faults: 'reload',
  seed: 'restart',
  journal: 'restart',
  cors: 'restart',
  decisions: 'restart',
  cassettes: 'restart',
  state: 'restart',
  statePrefix: 'restart',
  allowedHosts: 'restart',
  diagnosisHeader: 'restart',
  strict: 'restart',
  // The client judge counts from the start with these settings; changing them mid-count would mix two judgements.
  coverage: 'restart',
  audit: 'restart',
} as const satisfies Record<Exclude<keyof MockConfig, '$schema'>, 'reload' | 'restart'>;

type SectionsThat<Change> = {
  [Section in keyof typeof CONFIG_SECTION_CHANGES]: (typeof CONFIG_SECTION_CHANGES)[Section] extends Change
    ? Section
    : never;
}[keyof typeof CONFIG_SECTION_CHANGES];

/** The sections a reload puts in force. */
export type ReloadSection = SectionsThat<'reload'>;
/** The sections read once at start. */
export type RestartSection = SectionsThat<'restart'>;

export const RESTART_SECTIONS = Object.entries(CONFIG_SECTION_CHANGES)
  .filter(([, change]) => change === 'restart')
  .map(([section]) => section as RestartSection);
