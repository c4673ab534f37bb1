#!/usr/bin/env node
import { driftCommand } from './drift-command.js';
import { imagesCommand } from './images-command.js';
import { importHarCommand } from './import-har-command.js';
import { latencyProfileCommand } from './latency-profile-command.js';
import { mockCommand } from './mock-command.js';
import { recordCommand } from './record-command.js';
import { reportCommand } from './report-command.js';
import { runCli } from './run-cli.js';
import { typesCommand } from './types-command.js';

// Each command lives in its own file; main only wires them (run-cli.ts parses and maps errors to exit codes).
await runCli([
  mockCommand(),
  typesCommand(),
  driftCommand(),
  recordCommand(),
  importHarCommand(),
  latencyProfileCommand(),
  reportCommand(),
  imagesCommand(),
]);
