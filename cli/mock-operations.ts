import { Option } from 'commander';
import { watchConfigFile } from '../mock/config-reload.js';
import { LOG_FORMATS, LOG_LEVELS, logAt, type MockLogger } from '../mock/express/request-log.js';
import type { RunningMock } from '../mock/start-mock.js';

/** The flags that say how a running mock is operated: CORS, config reload, and its log. */
export function operationOptions(): Option[] {
  return [
    new Option('--no-cors', 'no CORS headers and no preflight answers (on by default, as in Prism)'),
    new Option('--watch', 'reload the --config file when it changes (SIGHUP reloads it too)'),
    new Option(
      '--log <format>',
      'log format: pretty (default on a terminal) or json (default in CI and when stderr is not a terminal)',
    ).choices(LOG_FORMATS),
    new Option('--log-level <level>', 'the least severe level logged (default info; requests are info)').choices(
      LOG_LEVELS,
    ),
    new Option('--quiet', 'log only warnings and errors (as --log-level warn)').conflicts('logLevel'),
  ];
}

/** What a usage check says is wrong with the operation flags, if anything. */
export function operationUsageError(options: { watch?: boolean; config?: string }): string | undefined {
  return options.watch && options.config === undefined
    ? 'error: --watch needs --config <file>: there is no config file to watch'
    : undefined;
}

/**
 * Reloads the config file on SIGHUP and, with `--watch`, when the file changes; each outcome is logged by the
 * mock's reloader. Returns the function that stops both.
 */
export function operateMock(
  mock: RunningMock,
  options: { config?: string; watch?: boolean; logger: MockLogger },
): { stop(): void } {
  const reload = (why: string) => {
    if (options.config === undefined) {
      logAt(options.logger, 'warn', { signal: why }, 'nothing to reload: the mock was started without --config');
      return;
    }
    void mock.reloadConfig();
  };
  const onHangUp = () => reload('SIGHUP');
  process.on('SIGHUP', onHangUp);
  const watcher =
    options.watch && options.config !== undefined
      ? watchConfigFile(options.config, () => reload('file changed'))
      : undefined;
  return {
    stop() {
      process.off('SIGHUP', onHangUp);
      watcher?.close();
    },
  };
}
