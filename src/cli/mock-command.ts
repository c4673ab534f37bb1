import { Command, InvalidArgumentError } from 'commander';
import { type LogFormat, type LogLevel, stderrLogger } from '../../mock/express/request-log.js';
import { DEFAULT_HOST, DEFAULT_PORT, MockConfigError, startMock } from '../../mock/start-mock.js';
import { USAGE_ERROR_EXIT_CODE } from './exit-codes.js';
import { operateMock, operationOptions, operationUsageError } from './mock-operations.js';

/** The one stdout line a caller waits for; everything else goes to stderr. */
export const READY_LINE_PREFIX = 'accuauth-kit mock listening on ';
/** Exit code for a config file that does not validate, or a port or host the mock cannot listen on. */
export const BAD_CONFIG_EXIT_CODE = USAGE_ERROR_EXIT_CODE;

interface MockCommandOptions {
  port: number;
  host: string;
  config?: string;
  cors: boolean;
  watch?: boolean;
  log?: LogFormat;
  logLevel?: LogLevel;
  quiet?: boolean;
}

export function mockCommand(): Command {
  const command = new Command('mock')
    .description('serve the mock of POST /face/predict_gender')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--config <file>', 'YAML or JSON config file (keys, scenarios, latency, faults)');
  for (const option of operationOptions()) command.addOption(option);
  return command.action(runMock);
}

async function runMock(options: MockCommandOptions, command: Command): Promise<void> {
  const usage = operationUsageError(options);
  if (usage) command.error(usage);
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
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.cors === false ? { cors: false } : {}),
    });
  } catch (error) {
    if (error instanceof MockConfigError) {
      process.stderr.write(`accuauth-kit mock: ${error.message}\n`);
      process.exitCode = BAD_CONFIG_EXIT_CODE;
      return;
    }
    process.stderr.write(`accuauth-kit mock: cannot start: ${(error as Error).message}${listenHint(error, options)}\n`);
    process.exitCode = BAD_CONFIG_EXIT_CODE;
    return;
  }
  // Before the ready line: a SIGHUP or a save right after it must already be heard.
  const operations = operateMock(mock, { ...options, logger: log.logger });
  process.stdout.write(`${READY_LINE_PREFIX}${mock.url}\n`);
  // performance.now() counts from the process's start: the start-up time a user waits for.
  log.logger.info({ url: mock.url, startupMs: Math.round(performance.now()) }, 'accuauth-kit mock ready');

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: stop waiting for in-flight requests.
      process.exit(130);
    }
    closing = true;
    operations.stop();
    log.logger.info({}, `${signal}, closing after in-flight requests`);
    mock.close().then(
      () => {
        log.flush();
        process.exit(0);
      },
      (error: Error) => {
        log.logger.error?.({ error: error.message }, 'close failed');
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
