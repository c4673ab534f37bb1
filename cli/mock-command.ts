import { Command, InvalidArgumentError, Option } from 'commander';
import { ADMIN_TOKEN_ENV } from '../mock/admin/admin-prefix.js';
import { type LogFormat, type LogLevel, stderrLogger } from '../mock/express/request-log.js';
import { JournalFileError } from '../mock/journal-file.js';
import {
  AdminExposureError,
  ClientMistakesError,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_GRACE_MS,
  MockConfigError,
  MockStateError,
  startMock,
} from '../mock/start-mock.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../src/vendor/vendor-request.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';
import { operateMock, operationOptions, operationUsageError } from './mock-operations.js';
import { collect, parseCount } from './option-parsers.js';

/** The one stdout line a caller waits for; everything else goes to stderr. */
export const READY_LINE_PREFIX = 'accuauth-kit mock listening on ';

interface MockCommandOptions {
  port: number;
  host: string;
  config?: string;
  admin: boolean;
  adminToken?: string;
  allowedHost: string[];
  // Cassettes and the recording proxy: recorded vendor answers replayed, and unknown images relayed and recorded.
  cassette: string[];
  proxy?: string;
  record?: string;
  maxAnswerBytes?: number;
  state?: string;
  statePrefix?: string;
  journalFile?: string;
  cors: boolean;
  diagnosisHeader?: boolean;
  strict?: boolean;
  watch?: boolean;
  log?: LogFormat;
  logLevel?: LogLevel;
  quiet?: boolean;
  shutdownGraceMs: number;
}

export function mockCommand(): Command {
  const command = new Command('mock')
    .description('serve the mock of POST /face/predict_gender')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--config <file>', 'YAML or JSON config file (keys, scenarios, latency, faults, decisions)')
    .option('--no-admin', 'serve no admin API (/__admin) and no dashboard')
    .addOption(
      new Option('--admin-token <token>', 'require Authorization: Bearer TOKEN on the admin API').env(ADMIN_TOKEN_ENV),
    )
    .option(
      '--allowed-host <name>',
      'without a token, also serve the admin API under this Host name (repeatable; default: the listen address and localhost)',
      collect,
      [],
    )
    // Cassettes and the recording proxy: recorded vendor answers replayed, and unknown images relayed and recorded.
    .option('--cassette <file>', 'replay a recorded cassette (repeatable)', collect, [])
    .option('--proxy <url>', "relay uploads in no cassette to this API with the caller's key (needs --record)")
    .option('--record <file>', 'with --proxy: the cassette that receives each relayed answer (created if missing)')
    .option(
      '--max-answer-bytes <n>',
      `with --proxy: read at most this many decoded bytes of a vendor answer (default ${DEFAULT_MAX_ANSWER_BYTES}); ` +
        'a larger one is answered INTERNAL_ERROR and not recorded',
      parseCount,
    )
    .option('--state <url>', 'keep the running state in Redis (redis://HOST:PORT/DB), shared by every mock using it')
    .option('--state-prefix <prefix>', "prefix of the state's Redis keys (default accuauth-kit:)")
    .option('--diagnosis-header', 'send why a request was refused in an X-AccuAuth-Mock-Diagnosis response header')
    .option('--strict', 'exit 1 at shutdown, printing each diagnosis, if any call was refused for a client mistake')
    .option(
      '--shutdown-grace-ms <ms>',
      'on SIGTERM/SIGINT, how long answers owed may take before every connection is closed and the mock exits 0',
      parseGraceMs,
      DEFAULT_SHUTDOWN_GRACE_MS,
    )
    .option('--journal-file <file>', 'append every journal entry to FILE as NDJSON, for accuauth-kit report --journal');
  for (const option of operationOptions()) command.addOption(option);
  return command.action(runMock);
}

async function runMock(options: MockCommandOptions, command: Command): Promise<void> {
  const usage = operationUsageError(options);
  if (usage) command.error(usage);
  if (options.maxAnswerBytes !== undefined && options.proxy === undefined) {
    command.error('--max-answer-bytes needs --proxy URL: only the recording proxy reads answers from a vendor');
  }
  // --proxy and --record only make sense together: a proxy that records nowhere would spend vendor calls for nothing.
  if ((options.proxy === undefined) !== (options.record === undefined)) {
    command.error(options.proxy === undefined ? '--record needs --proxy URL' : '--proxy needs --record FILE');
  }
  const log = stderrLogger({
    ...(options.log === undefined ? {} : { format: options.log }),
    level: options.logLevel ?? (options.quiet ? 'warn' : 'info'),
  });
  let mock: Awaited<ReturnType<typeof startMock>>;
  try {
    mock = await startMock({
      port: options.port,
      host: options.host,
      log: log.logger,
      admin: options.admin,
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      allowedHosts: options.allowedHost,
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.cors === false ? { cors: false } : {}),
      cassettes: options.cassette,
      ...(options.proxy && options.record
        ? {
            proxy: {
              target: options.proxy,
              record: options.record,
              ...(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
            },
          }
        : {}),
      ...(options.state === undefined ? {} : { state: options.state }),
      ...(options.statePrefix === undefined ? {} : { statePrefix: options.statePrefix }),
      ...(options.diagnosisHeader ? { diagnosisHeader: true } : {}),
      ...(options.strict ? { strict: true } : {}),
      shutdownGraceMs: options.shutdownGraceMs,
      ...(options.journalFile === undefined ? {} : { journalFile: options.journalFile }),
    });
  } catch (error) {
    if (
      error instanceof MockConfigError ||
      error instanceof AdminExposureError ||
      error instanceof MockStateError ||
      error instanceof JournalFileError
    ) {
      process.stderr.write(`accuauth-kit mock: ${error.message}\n`);
      process.exitCode = COULD_NOT_RUN_EXIT_CODE;
      return;
    }
    process.stderr.write(`accuauth-kit mock: cannot start: ${(error as Error).message}${listenHint(error, options)}\n`);
    process.exitCode = COULD_NOT_RUN_EXIT_CODE;
    return;
  }
  // Before the ready line: a SIGHUP or a save right after it must already be heard.
  const operations = operateMock(mock, { ...options, logger: log.logger });
  process.stdout.write(`${READY_LINE_PREFIX}${mock.url}\n`);
  if (options.proxy) {
    // Never the caller's key: only where uploads go and where their answers are kept.
    log.logger.warn?.(
      { proxy: options.proxy, record: options.record },
      "recording proxy: uploads in no cassette go to the proxy target with the caller's key (the vendor judges it; " +
        "the config's keys are not consulted) and are appended to the record cassette",
    );
  }
  // performance.now() counts from the process's start: the start-up time a user waits for.
  log.logger.info({ url: mock.url, startupMs: Math.round(performance.now()) }, 'accuauth-kit mock ready');

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: stop waiting for the answers owed. Still a stop that was asked for, so still 0.
      log.flush();
      process.exit(0);
    }
    closing = true;
    operations.stop();
    log.logger.info(
      { graceMs: options.shutdownGraceMs },
      `${signal}, closing after in-flight requests (at most ${options.shutdownGraceMs} ms)`,
    );
    mock.close().then(
      () => {
        log.flush();
        process.exit(0);
      },
      (error: Error) => {
        // Strict mode's verdict goes to stderr whole, readable in a CI log whatever the log format.
        if (error instanceof ClientMistakesError) process.stderr.write(`accuauth-kit mock: strict: ${error.message}\n`);
        else log.logger.error?.({ error: error.message }, 'close failed');
        log.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected an integer port in 0..65535');
  }
  return port;
}

function parseGraceMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new InvalidArgumentError('expected a whole number of milliseconds, 0 or more');
  return ms;
}

/** What to do about the usual reasons a listen fails. */
function listenHint(error: unknown, options: MockCommandOptions): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return `; port ${options.port} is taken: pass --port 0 to pick a free port (the ready line prints it), or stop what uses it`;
  }
  if (code === 'EACCES') return `; port ${options.port} needs privileges: use a port above 1023, or --port 0`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `; --host ${options.host} is not an address of this machine (try 127.0.0.1 or 0.0.0.0)`;
  }
  return '';
}
