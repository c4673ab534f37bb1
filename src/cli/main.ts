#!/usr/bin/env node
import { Command } from 'commander';
import { mockCommand } from './mock-command.js';
import { typesCommand } from './types-command.js';

// Each command lives in its own file; main only wires them.
const program = new Command('accuauth-kit').description(
  'Mock, contract tests and drift check for AccuAuth predict_gender',
);
program.addCommand(mockCommand());
program.addCommand(typesCommand());
await program.parseAsync();
