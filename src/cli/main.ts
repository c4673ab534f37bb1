#!/usr/bin/env node
// Placeholder until the mock lands (issue 4): the CLI entry point the package's `bin` names.
console.error('accuauth-kit: no commands yet');
process.exit(2);
