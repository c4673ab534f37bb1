import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_ANSWER_BYTES } from '../src/vendor/vendor-request.js';
import { VENDOR_TIMEOUT_MS } from '../src/vendor-timeouts.js';
import { adminRouter } from './admin/admin-handler.js';
import { adminExposureProblem } from './admin/admin-token.js';
import { type ConfigReloadOutcome, createConfigReloader } from './config-reload.js';
import {
  type AuditView,
  type ClientMistakes,
  ClientMistakesError,
  type CoverageView,
  checkStateUrl,
  DEFAULT_STATE_PREFIX,
  ImagePreviews,
  initialStateOf,
  type KeyConfig,
  type MockConfig,
  MockConfigError,
  type MockControl,
  type MockCoreOptions,
  type RequiredOutcome,
  type Scenario,
} from './core/index.js';
import { type CreateMockOptions, createMock, resolveMockConfig } from './create-mock.js';
import { answerClientErrors } from './express/client-errors.js';
import { type ClientTimeouts, resolvedClientTimeouts, serverTimeouts } from './express/client-timeouts.js';
import { continueOnlyOnceAccepted } from './express/expect-continue.js';
import { createMockApp } from './express/express-handler.js';
import { trackOpenConnections } from './express/open-connections.js';
import { type MockLogger, stderrLogger } from './express/request-log.js';
import { type JournalFileWriter, openJournalFile } from './journal-file.js';

/** The CLI's and `npm start`'s port. `startMock` picks a free port unless told, so test files can run in parallel. */
export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';
/** How long `close()` (and SIGTERM/SIGINT) waits for answers owed before it closes every connection. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface StartMockOptions {
  /** Default 0: a free port (read it from `url` or `port`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A config object, or the path of a YAML or JSON config file. */
  config?: MockConfig | string;
  /** true: pino to stderr; a pino-compatible logger; false (default): no request log. */
  log?: boolean | MockLogger;
  /**
   * How long a client may take to send its headers (default 5 s, from the request's first byte) and its body
   * (default 10 s, from the moment the mock reads it: time waiting for a read slot is not counted).
   */
  clientTimeouts?: ClientTimeouts;
  /**
   * The bound of `close()`: answers owed to requests that arrived whole are sent within it, every connection is
   * closed by its end (idle and stalled ones at once). Default 10000.
   */
  shutdownGraceMs?: number;
  /** false: no admin API and no dashboard (`/__admin` is then an unknown path, 404). Default true. */
  admin?: boolean;
  /**
   * Required on every admin call as `Authorization: Bearer TOKEN` when set; a mock listening on anything but
   * loopback refuses to start with the admin API on and no token.
   */
  adminToken?: string;
  /**
   * Host names the admin API and dashboard also answer under when no token is set, besides the listen address and
   * `localhost` (added to the config's `allowedHosts`); any other `Host` gets 403, so a DNS-rebinding page cannot
   * reach them.
   */
  allowedHosts?: readonly string[];
  /**
   * Cassette files to replay besides the config's `cassettes:`: an upload whose image is in one is
   * answered with the recorded code and body and a fresh request_id. A missing or broken one is a MockConfigError.
   */
  cassettes?: readonly string[];
  /** The recording proxy (`mock --proxy URL --record FILE`): see `MockProxyOptions`. */
  proxy?: MockProxyOptions;
  /**
   * `redis://HOST:PORT/DB`: the running state lives in that Redis, shared by every mock pointed at it (overrides
   * the config's `state`). Default: in this process.
   */
  state?: string;
  /** Prefix of the state's Redis keys (overrides the config's `statePrefix`); default `accuauth-kit:`. */
  statePrefix?: string;
  /** CORS headers and preflight answers (default: the config's `cors`, else true); false turns them off. */
  cors?: boolean;
  /**
   * The clock key expiry and rate windows read (default `Date.now`; the in-process state only): a test passes one it
   * moves itself to judge a rate window by its count, without sleeping through it or racing the wall clock.
   */
  now?: () => number;
  /** Overrides the config's `diagnosisHeader`: each refusal's diagnosis in an `X-AccuAuth-Mock-Diagnosis` header. */
  diagnosisHeader?: boolean;
  /** Overrides the config's `strict`: `close()` and `reset()` reject with ClientMistakesError (see RunningMock). */
  strict?: boolean;
  /**
   * Appends every journal entry to this file as NDJSON (uncapped, secrets redacted), for `accuauth-kit report
   * --journal FILE` after the mock stopped. An existing file is appended to. With a shared state it holds every
   * replica's calls: give the option to one replica only.
   */
  journalFile?: string;
}

/**
 * Uploads whose image is in no cassette are relayed to `target` with the caller's credentials and the vendor's
 * answer is appended to `record` (replayed from then on). The vendor judges keys: the config's `keys:` are not
 * consulted (any non-empty pair passes the mock's own check), so a team's test keys never decide a live answer.
 */
export interface MockProxyOptions {
  target: string;
  record: string;
  /** Per relayed upload; default 15000. */
  timeoutMs?: number;
  /** The most decoded bytes read of a vendor answer (`--max-answer-bytes`); default DEFAULT_MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
  /** Told when an answer could not be appended to the cassette; default: a line on stderr. */
  onProblem?: (message: string) => void;
}

/** How long the recording proxy waits for the vendor by default, as the drift check does. */
export const DEFAULT_PROXY_TIMEOUT_MS = VENDOR_TIMEOUT_MS.tool;

export interface RunningMock {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** The port it listens on (the free one picked for port 0). */
  port: number;
  /**
   * Stops accepting connections, closes idle and stalled ones (nothing sent, half a head) and the dashboard's event
   * streams, and resolves once the requests that had arrived have been answered, or `shutdownGraceMs` has passed
   * (then every connection left is closed).
   */
  close(): Promise<void>;
  /** As `POST /__admin/reset`: forgets quotas used, rate windows, sequence positions, faults and the journal. */
  reset(): Promise<void>;
  /** What was sent, as `GET /__admin/requests` shows it (secrets redacted): `journal.list()`, `journal.clear()`. */
  readonly journal: MockControl['journal'];
  /** As `PUT /__admin/scenarios`; rejects with MockConfigError (the admin API's message), state untouched. */
  replaceScenarios(scenarios: readonly Scenario[]): Promise<void>;
  /** As `PUT /__admin/keys`; `undefined` accepts any pair again. Rejects with MockConfigError, state untouched. */
  replaceKeys(keys: readonly KeyConfig[] | undefined): Promise<void>;
  /**
   * Reads the config file again (when `config` was a path) and puts in force what changed, as SIGHUP and `--watch`
   * do; a file that does not validate is refused and the running config stays. See config-reload.ts.
   */
  reloadConfig(): Promise<ConfigReloadOutcome>;
  /** The calls refused for a mistake of the client since the last reset (scripted answers never count). */
  clientMistakes(): ClientMistakes;
  /**
   * Throws ClientMistakesError, listing each diagnosis and the closest valid request, when any call since the last
   * reset was refused for a mistake of the client that no Prefer, scenario or queued next answer scripted.
   * With `strict: true`, `close()` and `reset()` run it too (after closing or resetting), so an
   * `afterEach(() => mock.reset())` or `afterAll(() => mock.close())` fails the suite.
   */
  assertNoClientMistakes(): void;
  /**
   * Which documented outcomes the client's calls met since the last reset, as `GET /__admin/coverage` shows it;
   * `require` (default: the config's `coverage.require`) names what they had to meet.
   */
  coverage(require?: readonly RequiredOutcome[]): CoverageView;
  /** The client-behaviour audit since the last reset, as `GET /__admin/audit` shows it. */
  audit(): AuditView;
  /**
   * Throws CoverageError naming each outcome never answered among `require` (default: the config's
   * `coverage.require`, else every documented status value).
   */
  assertCovered(...require: RequiredOutcome[]): void;
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
/** Thrown by `assertNoClientMistakes()` (and a strict mock's `close()`/`reset()`); `mistakes` holds the diagnoses. */
export { ClientMistakesError, MockConfigError };

export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  // Loaded only when there is a config: ajv and its compilation are a large share of a cold start.
  const checks = options.config === undefined ? undefined : await import('./core/config-checks.js');
  const resolved = resolveMockConfig(options.config, checks);
  const config: MockConfig = {
    ...resolved,
    ...(options.diagnosisHeader === undefined ? {} : { diagnosisHeader: options.diagnosisHeader }),
    ...(options.strict === undefined ? {} : { strict: options.strict }),
  };
  const strict = config.strict === true;
  const host = options.host ?? DEFAULT_HOST;
  const adminOn = options.admin !== false;
  if (options.allowedHosts?.length) await checkAllowedHosts(options.allowedHosts);
  const exposure = adminExposureProblem(host, adminOn, options.adminToken);
  if (exposure) throw new AdminExposureError(exposure);
  // After every check that needs no connection, so a refused start leaves no connection to a shared store open.
  const state = await connectState(config, options);
  const owned = options.log === true ? stderrLogger() : undefined;
  const logger = owned?.logger ?? (typeof options.log === 'object' ? options.log : undefined);
  // Previews only where a dashboard can show them: without the admin API no image is kept.
  const previews = adminOn ? new ImagePreviews() : undefined;
  const { requests, control: core } = createMock({
    config,
    configFile: typeof options.config === 'string' ? options.config : undefined,
    cassettes: options.cassettes,
    // Cassettes and the recording proxy are wired by the composition root, so the core does no file or network I/O.
    ...(await cassetteTools(config, options)),
    ...state,
    ...(previews ? { previews } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const cors = options.cors ?? config.cors ?? true;
  const hosts = {
    listenHost: host,
    // Read per request: `localhost` is bound to one of its addresses, known once listening.
    boundAddress: (): string | undefined => (server.address() as AddressInfo | null)?.address,
    allowedHosts: [...(config.allowedHosts ?? []), ...(options.allowedHosts ?? [])],
  };
  const admin = adminOn
    ? adminRouter(core, { startedAt: Date.now(), previews, token: options.adminToken, hosts })
    : undefined;
  const timeouts = resolvedClientTimeouts(options.clientTimeouts);
  const server = createServer(
    serverTimeouts(timeouts),
    createMockApp(requests, logger, admin, { cors, requestMs: timeouts.requestMs }),
  );
  const connections = trackOpenConnections(server);
  const reloadConfig =
    typeof options.config === 'string'
      ? createConfigReloader(options.config, config, core, logger)
      : async (): Promise<ConfigReloadOutcome> => ({
          ok: false,
          reason: 'the mock was not started from a config file',
        });
  answerClientErrors(server, maxHeaderSize, requests, connections, timeouts);
  continueOnlyOnceAccepted(server);
  let journalFile: JournalFileWriter | undefined;
  try {
    // Before the server listens: no call may miss the file, nor (with a shared state) another replica's judge.
    journalFile = options.journalFile === undefined ? undefined : await openJournalFile(options.journalFile, core);
    await core.listening();
  } catch (error) {
    await core.close();
    throw error;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await journalFile?.close();
    await core.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const closeServer = async (): Promise<void> => {
    const stopped = new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    // The dashboard's event streams never end by themselves.
    admin?.close();
    await connections.closeWithin(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    try {
      await stopped;
    } finally {
      owned?.flush();
    }
    // Once in-flight requests were answered: their refusals count too.
    const mistakes = core.clientMistakes();
    await journalFile?.close();
    await core.close();
    if (strict) assertNoClientMistakes(mistakes);
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const assertNoClientMistakes = (mistakes: ClientMistakes = core.clientMistakes()): void => {
    if (mistakes.count > 0) throw new ClientMistakesError(mistakes);
  };
  return {
    url: `http://${urlHost}:${port}`,
    port,
    clientMistakes: () => core.clientMistakes(),
    assertNoClientMistakes: () => assertNoClientMistakes(),
    async reset() {
      // Read before the reset forgets them; the reset happens anyway so that one test's mistakes fail it alone.
      const before = core.clientMistakes();
      await core.reset();
      if (strict) assertNoClientMistakes(before);
    },
    journal: core.journal,
    // Validated by the core, as the admin API's bodies and a reloaded file are.
    replaceScenarios: (scenarios) => core.replaceScenarios(scenarios),
    replaceKeys: (keys) => core.replaceKeys(keys),
    reloadConfig,
    coverage: (require) => core.coverage(require),
    audit: () => core.audit(),
    assertCovered: (...require) => core.assertCovered(...require),
    close: async () => {
      closing ??= closeServer();
      return closing;
    },
  };
}

/** Thrown by `startMock` when the admin API would be reachable off loopback without a token; says how to set one. */
export class AdminExposureError extends Error {
  constructor(readonly reason: string) {
    super(`refusing to start: ${reason}`);
    this.name = 'AdminExposureError';
  }
}

/** The cassette reader and the recording proxy's forwarder, loaded only when the config or the options use them. */
async function cassetteTools(
  config: MockConfig,
  options: StartMockOptions,
): Promise<Pick<CreateMockOptions, 'cassetteFiles' | 'proxy'>> {
  if (!config.cassettes?.length && !options.cassettes?.length && !options.proxy) return {};
  const cassetteFiles = await import('../src/cassette/load-cassettes.js');
  const proxy = options.proxy;
  if (!proxy) return { cassetteFiles };
  const { createVendorForwarder } = await import('./proxy/vendor-forwarder.js');
  return {
    cassetteFiles,
    proxy: {
      record: proxy.record,
      forwarder(library, record) {
        if (!URL.canParse(proxy.target)) {
          throw new MockConfigError(`the proxy target ${JSON.stringify(proxy.target)} is not a URL (--proxy)`);
        }
        return createVendorForwarder({
          target: proxy.target,
          record,
          library,
          timeoutMs: proxy.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS,
          maxAnswerBytes: proxy.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
          onProblem: proxy.onProblem ?? ((message) => process.stderr.write(`accuauth-kit mock: ${message}\n`)),
        });
      },
    },
  };
}

/** `allowedHosts` as the config's schema checks them, so a `name:port` is refused instead of never matching. */
async function checkAllowedHosts(allowedHosts: readonly string[]): Promise<void> {
  const { checkMockConfig } = await import('./core/config-checks.js');
  const checked = checkMockConfig({ allowedHosts: [...allowedHosts] });
  if (!checked.ok) {
    throw new MockConfigError(
      `${checked.reason.replace('allowedHosts', '--allowed-host (allowedHosts)')}: give a bare host name or address, without port`,
    );
  }
}

/**
 * The shared store when one is asked for (option or config), else nothing (the core keeps its state in memory).
 * The Redis client is imported only then: a mock without `state` never loads it.
 */
async function connectState(
  config: MockConfig,
  options: StartMockOptions,
): Promise<Pick<MockCoreOptions, 'state' | 'stateShown'>> {
  const url = options.state ?? config.state;
  if (url === undefined) return {};
  const checked = checkStateUrl(url);
  if (!checked.ok) throw new MockConfigError(checked.reason);
  const { connectRedisState } = await import('./redis/redis-state.js');
  const prefix = options.statePrefix ?? config.statePrefix ?? DEFAULT_STATE_PREFIX;
  const connected = await connectRedisState({ url, prefix, initial: initialStateOf(config) });
  if (!connected.ok) throw new MockStateError(connected.reason);
  return { state: connected.state, stateShown: checked.shown };
}
