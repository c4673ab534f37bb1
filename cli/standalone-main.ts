// First: it makes the embedded files the source before the modules below read any while they load.
import './sea-package-files.js';
import { Command } from 'commander';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';
import { mockCommand } from './mock-command.js';
import { runCli } from './run-cli.js';

/**
 * The entry of the standalone executable (`npm run build:sea`, scripts/build-sea.ts): `accuauth-kit mock` for CI
 * images without Node. It serves `mock` whole (flags, config files, cassettes, the dashboard, `--state`); the
 * package files the mock reads travel inside the executable as SEA assets, under their paths from the package root.
 *
 * `drift`, `record`, `types` and `report` are left out: the executable is for serving the mock where there is no Node, and
 * those are jobs of a project that has Node and the package (`drift` and `record` call the live API and write
 * reports and cassettes into it, `types` copies TypeScript into it, `report` writes a CI job's reports). They answer with a pointer to the package and exit 2, the
 * usage-error code, rather than Commander's "unknown command".
 */
const LEFT_OUT = {
  drift: 'check the live API for drift',
  record: 'record cassettes from the live API',
  types: 'copy the generated TypeScript types into a project',
  report: "judge the client from the mock's calls and write the coverage and audit reports",
  'import-har': 'turn the predict_gender calls of a HAR file into a cassette',
  'latency-profile': "fit the vendor's measured latencies into the mock's latency config",
  images: "write images at the vendor's limits, with what the mock answers each",
} as const;

function leftOutCommand(name: keyof typeof LEFT_OUT): Command {
  return new Command(name)
    .description(`${LEFT_OUT[name]} (not in the standalone executable: use the npm package)`)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write(
        `accuauth-kit ${name} is not in the standalone executable, which serves only "mock"; ` +
          `run it from the npm package with Node: npx --no-install accuauth-kit ${name}\n`,
      );
      process.exitCode = COULD_NOT_RUN_EXIT_CODE;
    });
}

void runCli([
  mockCommand(),
  leftOutCommand('drift'),
  leftOutCommand('record'),
  leftOutCommand('types'),
  leftOutCommand('report'),
  leftOutCommand('import-har'),
  leftOutCommand('latency-profile'),
  leftOutCommand('images'),
]);
