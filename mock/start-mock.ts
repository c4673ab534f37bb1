import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyConfig, MockConfig, Scenario } from '../src/core/config/mock-config.js';
import { MockConfigError } from '../src/core/config/mock-config-error.js';
import { type ConfigChecker, createMockCore, type MockCore } from '../src/core/mock-core.js';
import { type ConfigReloadOutcome, createConfigReloader } from './config-reload.js';
import { answerClientErrors, serverTimeouts } from './express/client-errors.js';
import { createMockApp } from './express/express-handler.js';
import { type MockLogger, stderrLogger } from './express/request-log.js';

/** The CLI's and `npm start`'s port. `startMock` picks a free port unless told, so test files can run in parallel. */
export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';

export interface StartMockOptions {
  /** Default 0: a free port (read it from `url` or `port`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A config object, or the path of a YAML or JSON config file. */
  config?: MockConfig | string;
  /** true: pino to stderr; a pino-compatible logger; false (default): no request log. */
  log?: boolean | MockLogger;
  /** CORS headers and preflight answers (default: the config's `cors`, else true); false turns them off. */
  cors?: boolean;
}

export interface RunningMock {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** The port it listens on (the free one picked for port 0). */
  port: number;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
  /** As `POST /__admin/reset`: forgets quotas used, rate windows, sequence positions, faults and the journal. */
  reset(): void;
  /** What was sent, as `GET /__admin/requests` shows it (secrets redacted): `journal.list()`, `journal.clear()`. */
  readonly journal: MockCore['journal'];
  /** As `PUT /__admin/scenarios`; rejects with MockConfigError (the admin API's message), state untouched. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<void>;
  /** As `PUT /__admin/keys`; `undefined` accepts any pair again. Rejects with MockConfigError, state untouched. */
  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<void>;
  /**
   * Reads the config file again (when `config` was a path) and puts in force what changed, as SIGHUP and `--watch`
   * do; a file that does not validate is refused and the running config stays. See config-reload.ts.
   */
  reloadConfig(): Promise<ConfigReloadOutcome>;
}

/** Thrown by `startMock` for a config that does not validate; `reason` names the bad field and what was expected. */
export { MockConfigError };

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const { config, checkConfig } = await resolveConfig(options.config);
  const owned = options.log === true ? stderrLogger() : undefined;
  const logger = owned?.logger ?? (typeof options.log === 'object' ? options.log : undefined);
  const core = createMockCore(config, checkConfig ? { checkConfig } : {});
  const cors = options.cors ?? config.cors ?? true;
  const server = createServer(serverTimeouts, createMockApp(core, logger, { cors }));
  const reloadConfig =
    typeof options.config === 'string'
      ? createConfigReloader(options.config, config, core, logger)
      : async (): Promise<ConfigReloadOutcome> => ({
          ok: false,
          reason: 'the mock was not started from a config file',
        });
  answerClientErrors(server, maxHeaderSize);
  const host = options.host ?? DEFAULT_HOST;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  // The replacements are validated like the admin API's bodies; the validator is loaded on first use, so a mock
  // started without config still starts without ajv.
  const checked = async (value: MockConfig): Promise<void> => {
    const { checkMockConfig } = await import('../src/core/config/load-mock-config.js');
    const check = checkMockConfig(value);
    if (!check.ok) throw new MockConfigError(check.reason);
  };
  return {
    url: `http://${urlHost}:${port}`,
    port,
    reset: () => core.reset(),
    journal: core.journal,
    replaceScenarios: async (scenarios) => {
      await checked({ scenarios: [...scenarios] });
      core.replaceScenarios(scenarios);
    },
    replaceKeys: async (keys) => {
      if (keys !== undefined) await checked({ keys: [...keys] });
      core.replaceKeys(keys);
    },
    reloadConfig,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          owned?.flush();
          if (error) reject(error);
          else core.close().then(resolve, reject);
        });
        // Keep-alive connections with no request in flight would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}

async function resolveConfig(
  config: MockConfig | string | undefined,
): Promise<{ config: MockConfig; checkConfig?: ConfigChecker }> {
  if (config === undefined) return { config: {} };
  // Loaded only when there is a config: ajv and its compilation are a large share of a cold start.
  const { checkMockConfig, readMockConfigFile } = await import('../src/core/config/load-mock-config.js');
  const checked = typeof config === 'string' ? readMockConfigFile(config) : checkMockConfig(config);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  return { config: checked.config, checkConfig: checkMockConfig };
}
