import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockConfig } from '../src/core/config/mock-config.js';
import { createMockCore, type MockCoreOptions } from '../src/core/mock-core.js';
import { initialStateOf } from '../src/core/state/initial-state.js';
import { checkStateUrl, DEFAULT_STATE_PREFIX } from '../src/core/state/state-url.js';
import { answerClientErrors, serverTimeouts } from './express/client-errors.js';
import { createMockApp } from './express/express-handler.js';
import { type MockLogger, stderrLogger } from './express/request-log.js';

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';

export interface StartMockOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A config object, or the path of a YAML or JSON config file. */
  config?: MockConfig | string;
  /** true: pino to stderr; a pino-compatible logger; false (default): no request log. */
  log?: boolean | MockLogger;
  /**
   * `redis://HOST:PORT/DB`: the running state lives in that Redis, shared by every mock pointed at it (overrides
   * the config's `state`). Default: in this process.
   */
  state?: string;
  /** Prefix of the state's Redis keys (overrides the config's `statePrefix`); default `accuauth-kit:`. */
  statePrefix?: string;
}

export interface RunningMock {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
}

/**
 * Thrown by `startMock` when the shared state store cannot be used: Redis unreachable at the URL (credentials
 * redacted), or seeded from a different config by another replica. `reason` says which.
 */
export class MockStateError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MockStateError';
  }
}

/** Thrown by `startMock` for a config that does not validate; `reason` names the bad field and what was expected. */
export class MockConfigError extends Error {
  constructor(readonly reason: string) {
    super(`invalid mock config: ${reason}`);
    this.name = 'MockConfigError';
  }
}

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const config = await resolveConfig(options.config);
  const state = await connectState(config, options);
  const owned = options.log === true ? stderrLogger() : undefined;
  const logger = owned?.logger ?? (typeof options.log === 'object' ? options.log : undefined);
  const core = createMockCore(config, state);
  const server = createServer(serverTimeouts, createMockApp(core, logger));
  answerClientErrors(server, maxHeaderSize);
  const host = options.host ?? DEFAULT_HOST;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await core.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
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

async function resolveConfig(config: MockConfig | string | undefined): Promise<MockConfig> {
  if (config === undefined) return {};
  // Loaded only when there is a config: ajv and its compilation are a large share of a cold start.
  const { checkMockConfig, readMockConfigFile } = await import('../src/core/config/load-mock-config.js');
  const checked = typeof config === 'string' ? readMockConfigFile(config) : checkMockConfig(config);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  return checked.config;
}

/**
 * The shared store when one is asked for (option or config), else nothing (the core keeps its state in memory).
 * The Redis client is imported only then: a mock without `state` never loads it.
 */
async function connectState(config: MockConfig, options: StartMockOptions): Promise<MockCoreOptions> {
  const url = options.state ?? config.state;
  if (url === undefined) return {};
  const checked = checkStateUrl(url);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  const { connectRedisState } = await import('../src/core/state/redis-state.js');
  const prefix = options.statePrefix ?? config.statePrefix ?? DEFAULT_STATE_PREFIX;
  const connected = await connectRedisState({ url, prefix, initial: initialStateOf(config) });
  if (!connected.ok) throw new MockStateError(connected.reason);
  return { state: connected.state, stateShown: checked.shown };
}
