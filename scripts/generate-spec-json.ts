/**
 * Writes the spec as JSON beside the generated types, so that `loadSpec()` can `JSON.parse` it at start instead of
 * loading the `yaml` package and parsing YAML (together about a fifth of the mock's cold start). The YAML stays the
 * one hand-written source; test/spec-catalogue.test.ts fails when this file no longer matches it.
 *
 * Usage: `npm run generate` (runs this after openapi-typescript).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findSpecPath, specJsonPath } from '../src/spec/spec-document.js';

const target = specJsonPath();
// Indented, so that a change of the spec shows as a readable diff of the generated file too.
writeFileSync(target, `${JSON.stringify(parse(readFileSync(findSpecPath(), 'utf8')), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
