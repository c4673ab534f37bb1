import { resolve } from 'node:path';
import type { CassetteLibrary } from '../src/cassette/cassette-library.js';
import type { cassettePaths, loadCassetteLibrary } from '../src/cassette/load-cassettes.js';
import type { checkMockConfig, readMockConfigFile } from './core/config-checks.js';
import {
  createMockCore,
  type MockConfig,
  MockConfigError,
  type MockCore,
  type MockCoreOptions,
  type UploadForwarder,
} from './core/index.js';

/**
 * The modules that cost a cold start (ajv for the config, the cassette reader), handed in already loaded: the MSW
 * handlers import them statically (they answer synchronously), `startMock` with `import()` only when a config or
 * cassettes ask for them.
 */
export interface ConfigChecks {
  checkMockConfig: typeof checkMockConfig;
  readMockConfigFile: typeof readMockConfigFile;
}
export interface CassetteFiles {
  cassettePaths: typeof cassettePaths;
  loadCassetteLibrary: typeof loadCassetteLibrary;
}

/**
 * A config given as an object or as the path of a YAML or JSON file, validated once here (the core checks only
 * replacements); a bad one is a MockConfigError with the reason every entry point gives.
 */
export function resolveMockConfig(
  config: MockConfig | string | undefined,
  checks: ConfigChecks | undefined,
): MockConfig {
  if (config === undefined) return {};
  if (!checks) throw new Error('bug: a config to resolve without its validator loaded');
  const checked = typeof config === 'string' ? checks.readMockConfigFile(config) : checks.checkMockConfig(config);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  return checked.config;
}

export interface CreateMockOptions extends Pick<MockCoreOptions, 'state' | 'stateShown' | 'previews' | 'now'> {
  /** Validated (`resolveMockConfig`). */
  config: MockConfig;
  /** The config file, when the config came from one: its relative cassette paths resolve from its folder. */
  configFile?: string | undefined;
  /** Cassette files to replay besides the config's `cassettes:`. */
  cassettes?: readonly string[] | undefined;
  /**
   * The recording proxy: uploads in no cassette are relayed by the forwarder made from the loaded library, and
   * recorded to `record`. The vendor judges keys then, so the config's `keys:` are not consulted.
   */
  proxy?: { record: string; forwarder(library: CassetteLibrary, record: string): UploadForwarder } | undefined;
  /** Required when the config, `cassettes` or `proxy` name cassettes. */
  cassetteFiles?: CassetteFiles | undefined;
}

/**
 * The one composition root of the mock, for both `startMock` and the MSW handlers: cassettes loaded, the recording
 * proxy wired, the core built; it returns the core's two faces, `requests` for adapters and `control` for the
 * admin API and the SDK handles. Synchronous, so the MSW handlers can be created synchronously; what needs I/O
 * first (the config file, a shared store's connection) is done by the caller and handed in.
 */
export function createMock(options: CreateMockOptions): MockCore {
  const { config } = options;
  const replay = cassetteOptions(options);
  const { keys: _judgedByTheVendor, ...proxiedConfig } = config;
  return createMockCore(options.proxy ? proxiedConfig : config, {
    ...replay,
    ...(options.state ? { state: options.state } : {}),
    ...(options.stateShown === undefined ? {} : { stateShown: options.stateShown }),
    ...(options.previews ? { previews: options.previews } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** The core's `cassettes` and `forwarder`, when the config, `cassettes` or `proxy` ask for them. */
function cassetteOptions(options: CreateMockOptions): Pick<MockCoreOptions, 'cassettes' | 'forwarder'> {
  const { config, proxy } = options;
  if (!config.cassettes?.length && !options.cassettes?.length && !proxy) return {};
  const files = options.cassetteFiles;
  if (!files) throw new Error('bug: cassettes to load without the cassette reader loaded');
  const record = proxy ? resolve(proxy.record) : undefined;
  const paths = files.cassettePaths(config.cassettes, options.configFile, [
    ...(options.cassettes ?? []),
    ...(record ? [record] : []),
  ]);
  const built = files.loadCassetteLibrary(paths, record);
  if (!built.ok) throw new MockConfigError(built.reason);
  if (!proxy || !record) return { cassettes: built.library };
  return { cassettes: built.library, forwarder: proxy.forwarder(built.library, record) };
}
