import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, MockConfigError, startMock } from '../../mock/start-mock.js';
import { USAGE_ERROR_EXIT_CODE } from './exit-codes.js';

/** The one stdout line a caller waits for; everything else goes to stderr. */
export const READY_LINE_PREFIX = 'accuauth-kit mock listening on ';
/** Exit code for a config file that does not validate, or a port or host the mock cannot listen on. */
export const BAD_CONFIG_EXIT_CODE = USAGE_ERROR_EXIT_CODE;

interface MockCommandOptions {
  port: number;
  host: string;
  config?: string;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('serve the mock of POST /face/predict_gender')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--config <file>', 'YAML or JSON config file (keys, scenarios, latency, faults, decisions)')
    .action(runMock);
}

async function runMock(options: MockCommandOptions): Promise<void> {
  let mock: Awaited<ReturnType<typeof startMock>>;
  try {
    mock = await startMock({
      port: options.port,
      host: options.host,
      log: true,
      ...(options.config === undefined ? {} : { config: options.config }),
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
  process.stdout.write(`${READY_LINE_PREFIX}${mock.url}\n`);
  // performance.now() counts from the process's start: the start-up time a user waits for.
  process.stderr.write(`accuauth-kit mock: ready in ${Math.round(performance.now())} ms\n`);

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: stop waiting for in-flight requests.
      process.exit(130);
    }
    closing = true;
    process.stderr.write(`accuauth-kit mock: ${signal}, closing after in-flight requests\n`);
    mock.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`accuauth-kit mock: close failed: ${error.message}\n`);
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
