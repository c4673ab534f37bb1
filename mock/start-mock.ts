import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockConfig } from '../src/core/config/mock-config.js';
import { MockConfigError } from '../src/core/config/mock-config-error.js';
import { type ConfigChecker, createMockCore } from '../src/core/mock-core.js';
import { answerClientErrors, serverTimeouts } from './client-errors.js';
import { createMockApp } from './mock-app.js';
import { type MockLogger, stderrLogger } from './request-log.js';

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
}

export interface RunningMock {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
}

/** Thrown by `startMock` for a config that does not validate; `reason` names the bad field and what was expected. */
export { MockConfigError };

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const { config, checkConfig } = await resolveConfig(options.config);
  const owned = options.log === true ? stderrLogger() : undefined;
  const logger = owned?.logger ?? (typeof options.log === 'object' ? options.log : undefined);
  const server = createServer(
    serverTimeouts,
    createMockApp(createMockCore(config, checkConfig ? { checkConfig } : {}), logger),
  );
  answerClientErrors(server, maxHeaderSize);
  const host = options.host ?? DEFAULT_HOST;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
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
          else resolve();
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
