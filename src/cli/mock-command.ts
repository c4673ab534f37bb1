import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, MockConfigError, MockStateError, startMock } from '../../mock/start-mock.js';

/** The one stdout line a caller waits for; everything else goes to stderr. */
export const READY_LINE_PREFIX = 'accuauth-kit mock listening on ';
/** Exit code for a config file that does not validate, or a state store that cannot be used. */
export const BAD_CONFIG_EXIT_CODE = 2;

interface MockCommandOptions {
  port: number;
  host: string;
  config?: string;
  state?: string;
  statePrefix?: string;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('serve the mock of POST /face/predict_gender')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--config <file>', 'YAML or JSON config file (keys, scenarios, latency, faults)')
    .option('--state <url>', 'keep the running state in Redis (redis://HOST:PORT/DB), shared by every mock using it')
    .option('--state-prefix <prefix>', "prefix of the state's Redis keys (default accuauth-kit:)")
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
      ...(options.state === undefined ? {} : { state: options.state }),
      ...(options.statePrefix === undefined ? {} : { statePrefix: options.statePrefix }),
    });
  } catch (error) {
    if (error instanceof MockConfigError || error instanceof MockStateError) {
      process.stderr.write(`accuauth-kit mock: ${error.message}\n`);
      process.exitCode = BAD_CONFIG_EXIT_CODE;
      return;
    }
    process.stderr.write(`accuauth-kit mock: cannot start: ${(error as Error).message}\n`);
    process.exitCode = 1;
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
