import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockConfig } from '../src/core/config/mock-config.js';
import { ImagePreviews } from '../src/core/image-previews.js';
import { createMockCore } from '../src/core/mock-core.js';
import { adminRouter } from './admin/admin-handler.js';
import { adminExposureProblem } from './admin/admin-token.js';
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
  /** false: no admin API and no dashboard (`/__admin` is then an unknown path, 404). Default true. */
  admin?: boolean;
  /**
   * Required on every admin call as `Authorization: Bearer TOKEN` when set; a mock listening on anything but
   * loopback refuses to start with the admin API on and no token.
   */
  adminToken?: string;
}

export interface RunningMock {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
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
  const owned = options.log === true ? stderrLogger() : undefined;
  const logger = owned?.logger ?? (typeof options.log === 'object' ? options.log : undefined);
  const host = options.host ?? DEFAULT_HOST;
  const adminOn = options.admin !== false;
  const exposure = adminExposureProblem(host, adminOn, options.adminToken);
  if (exposure) {
    owned?.flush();
    throw new AdminExposureError(exposure);
  }
  // Previews only where a dashboard can show them: without the admin API no image is kept.
  const previews = adminOn ? new ImagePreviews() : undefined;
  const core = createMockCore(config, previews ? { previews } : {});
  const admin = adminOn ? adminRouter(core, { startedAt: Date.now(), previews, token: options.adminToken }) : undefined;
  const server = createServer(serverTimeouts, createMockApp(core, logger, admin));
  answerClientErrors(server, maxHeaderSize);

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
          else core.close().then(resolve, reject);
        });
        // Keep-alive connections with no request in flight, and the dashboard's event streams, would otherwise
        // hold close() open.
        admin?.close();
        server.closeIdleConnections();
      }),
  };
}

/** Thrown by `startMock` when the admin API would be reachable off loopback without a token; says how to set one. */
export class AdminExposureError extends Error {
  constructor(readonly reason: string) {
    super(`refusing to start: ${reason}`);
    this.name = 'AdminExposureError';
  }
}

async function resolveConfig(config: MockConfig | string | undefined): Promise<MockConfig> {
  if (config === undefined) return {};
  // Loaded only when there is a config: ajv and its compilation are a large share of a cold start.
  const { checkMockConfig, readMockConfigFile } = await import('../src/core/config/load-mock-config.js');
  const checked = typeof config === 'string' ? readMockConfigFile(config) : checkMockConfig(config);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  return checked.config;
}
