/**
 * Writes two files derived from the hand-written spec, beside the generated types:
 * - the spec as JSON, so that `loadSpec()` can `JSON.parse` it at start instead of loading the `yaml` package and
 *   parsing YAML (together about a fifth of the mock's cold start);
 * - `decisions.ts`, the names and alternatives of the spec's `x-decisions` as TypeScript types, so that the mock's
 *   config, the core and the drift check name decisions the compiler knows.
 * The YAML stays the one hand-written source; test/spec-catalogue.test.ts fails when either file no longer matches.
 *
 * Usage: `npm run generate` (runs this after openapi-typescript).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { decisionsModuleSource } from '../src/spec/decisions-module.js';
import { decisionsModulePath, findSpecPath, specJsonPath } from '../src/spec/spec-document.js';

const document: unknown = parse(readFileSync(findSpecPath(), 'utf8'));
const target = specJsonPath();
// Indented, so that a change of the spec shows as a readable diff of the generated file too.
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
const decisions = decisionsModulePath();
writeFileSync(decisions, decisionsModuleSource(document));
process.stdout.write(`wrote ${decisions}\n`);
