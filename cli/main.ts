#!/usr/bin/env node
import type { Command } from 'commander';
import { runCli } from './run-cli.js';

/**
 * Each command lives in its own file and is imported only when it can run: `accuauth-kit mock` is what a CI job
 * starts on every run, and with the bundle split into chunks (scripts/bundle-cli.ts) it reads and compiles only the
 * mock's code, not the drift suite, the recorder, the HAR import or the JUnit writer of the others. Any other first
 * argument (another command, --help, --version) loads every command, so help lists them all.
 */
async function commandsFor(first: string | undefined): Promise<Command[]> {
  if (first === 'mock') return [(await import('./mock-command.js')).mockCommand()];
  const [mock, types, drift, record, importHar, latencyProfile, report, images] = await Promise.all([
    import('./mock-command.js'),
    import('./types-command.js'),
    import('./drift-command.js'),
    import('./record-command.js'),
    import('./import-har-command.js'),
    import('./latency-profile-command.js'),
    import('./report-command.js'),
    import('./images-command.js'),
  ]);
  return [
    mock.mockCommand(),
    types.typesCommand(),
    drift.driftCommand(),
    record.recordCommand(),
    importHar.importHarCommand(),
    latencyProfile.latencyProfileCommand(),
    report.reportCommand(),
    images.imagesCommand(),
  ];
}

await runCli(await commandsFor(process.argv[2]));
