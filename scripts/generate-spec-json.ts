/**
 * Writes two files derived from the hand-written spec, beside the generated types:
 * - the spec as JSON, so that `loadSpec()` can `JSON.parse` it at start instead of loading the `yaml` package and
 *   parsing YAML (together about a fifth of the mock's cold start);
 * - `decisions.ts`, the names and alternatives of the spec's `x-decisions` as TypeScript types, so that the mock's
 *   config, the core and the drift check name decisions the compiler knows;
 * - the `decisions` property of the mock config's JSON Schema (`mock/core/config/mock-config.schema.json`), an enum of
 *   each decision's alternatives (`npm run generate` then formats the file with biome).
 * and from the config's JSON Schema, `mock/core/config/mock-config.generated.ts`: the config's TypeScript types (see
 * mock-config-types.ts).
 * The YAML stays the one hand-written source; test/library/spec-catalogue.test.ts fails when either file no longer matches.
 *
 * Usage: `npm run generate` (runs this after openapi-typescript).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { decisionsConfigSchema } from '../src/spec/decisions-config-schema.js';
import { decisionsModuleSource } from '../src/spec/decisions-module.js';
import { decisionsModulePath, findSpecPath, specJsonPath } from '../src/spec/spec-document.js';
import { mockConfigTypesSource, mockConfigTypesUrl } from './mock-config-types.js';

const document: unknown = parse(readFileSync(findSpecPath(), 'utf8'));
const target = specJsonPath();
// Indented, so that a change of the spec shows as a readable diff of the generated file too.
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
const decisions = decisionsModulePath();
writeFileSync(decisions, decisionsModuleSource(document));
process.stdout.write(`wrote ${decisions}\n`);
const configSchemaPath = new URL('../mock/core/config/mock-config.schema.json', import.meta.url);
const configSchema = JSON.parse(readFileSync(configSchemaPath, 'utf8')) as { properties: Record<string, unknown> };
configSchema.properties.decisions = decisionsConfigSchema(document);
// One line: biome then lays it out as it lays out the hand-written rest, so only the decisions block changes.
writeFileSync(configSchemaPath, `${JSON.stringify(configSchema)}\n`);
process.stdout.write(`wrote ${configSchemaPath.pathname}\n`);
// Made from the schema just written (its layout does not matter: it is read as JSON).
writeFileSync(mockConfigTypesUrl, await mockConfigTypesSource());
process.stdout.write(`wrote ${mockConfigTypesUrl.pathname}\n`);
