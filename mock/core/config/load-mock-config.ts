import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { specValidators } from '../../../src/validation/spec-validators.js';
import { checkStateUrl } from '../state/state-url.js';
import type { MockConfig, ScenarioStep } from './mock-config.js';
import configSchema from './mock-config.schema.json' with { type: 'json' };

export type ConfigCheck = { ok: true; config: MockConfig } | { ok: false; reason: string };

let compiled: ValidateFunction | undefined;

/** Compiled once per process, and only when a config is given: a mock without one never pays for it. */
function configValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: false });
  // RFC 3339 date-time, checked by the one parser the core will use on it.
  ajv.addFormat('date-time', (text: string) => /^\d{4}-\d\d-\d\dT/.test(text) && !Number.isNaN(Date.parse(text)));
  compiled = ajv.compile(configSchema);
  return compiled;
}

/**
 * Validates a config object: the JSON Schema first, then what a schema cannot say (a scripted result must be a
 * PredictGenderResult of the spec; a latency range must not be upside down). The reason names the bad field's
 * path, `keys[0].quota`, and what was expected.
 */
export function checkMockConfig(value: unknown): ConfigCheck {
  // The state URL's rule is checkStateUrl's, which --state and startMock({ state }) use too: one message for one
  // mistake, wherever the URL is given (the schema's pattern only keeps editors honest).
  const state = (value as { state?: unknown } | null)?.state;
  if (typeof state === 'string') {
    const checked = checkStateUrl(state);
    if (!checked.ok) return checked;
  }
  const validate = configValidator();
  if (!validate(value)) return { ok: false, reason: describeErrors(validate.errors ?? [], value) };
  const config = value as MockConfig;
  const seen = new Map<string, number>();
  for (const [index, key] of (config.keys ?? []).entries()) {
    const first = seen.get(key.id);
    // The last would silently win, and the first pair would then be refused: say so instead.
    if (first !== undefined) {
      return {
        ok: false,
        reason: `keys[${index}].id "${key.id}" repeats keys[${first}].id; each key id must be unique`,
      };
    }
    seen.set(key.id, index);
  }
  const latency = config.latency;
  if (latency && 'minMs' in latency && latency.minMs > latency.maxMs) {
    return { ok: false, reason: `latency.minMs (${latency.minMs}) must not be larger than latency.maxMs` };
  }
  for (const [index, scenario] of (config.scenarios ?? []).entries()) {
    const steps: [string, ScenarioStep][] = scenario.respond ? [['respond', scenario.respond]] : [];
    for (const [stepIndex, step] of (scenario.sequence ?? []).entries()) steps.push([`sequence[${stepIndex}]`, step]);
    for (const [where, step] of steps) {
      const path = `scenarios[${index}].${where}`;
      if (step.result === undefined) continue;
      if (step.status !== 'OK') return { ok: false, reason: `${path}.result is only allowed with status OK` };
      const check = specValidators().schema('PredictGenderResult', step.result);
      if (!check.valid) {
        const detail = check.errors.map((error) => error.replace(/^body/, `${path}.result`)).join('; ');
        return { ok: false, reason: `${detail} (expected a PredictGenderResult of the spec)` };
      }
    }
  }
  return { ok: true, config };
}

/** Reads a YAML or JSON file (YAML is a superset of JSON) and checks it; the reason starts with the file's path. */
export function readMockConfigFile(path: string): ConfigCheck {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, reason: `${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code})` };
  }
  let value: unknown;
  try {
    // An empty file is an empty config: the vendor's default behaviour.
    value = parse(text) ?? {};
  } catch (error) {
    return { ok: false, reason: `${path}: not valid YAML or JSON: ${yamlProblem(error, text)}` };
  }
  const check = checkMockConfig(value);
  return check.ok ? check : { ok: false, reason: `${path}: ${check.reason}` };
}

/**
 * The yaml library's message ends with a colon before a code frame; one line that names the place and quotes the
 * offending line reads better in a terminal and in an admin API answer.
 */
function yamlProblem(error: unknown, text: string): string {
  const message = (error as Error).message.split('\n')[0]?.replace(/:\s*$/, '') ?? 'unreadable';
  const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
  const source = line === undefined ? undefined : text.split(/\r?\n/)[line - 1]?.trim();
  return source ? `${message} (the line reads ${JSON.stringify(source)})` : message;
}

/**
 * ajv's first error, unless a `oneOf` failed: then its branches' errors (which come first) each tell only half the
 * story, and the message says which alternatives there are and what the value has of them.
 */
function describeErrors(errors: readonly ErrorObject[], value: unknown): string {
  const oneOf = errors.find((error) => error.keyword === 'oneOf');
  const first = errors[0];
  if (oneOf && first?.instancePath.startsWith(oneOf.instancePath)) return describeOneOf(oneOf.instancePath, value);
  return describeError(first);
}

function describeOneOf(instancePath: string, value: unknown): string {
  const path = pathOf(instancePath);
  const target = instancePath
    .slice(1)
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], value);
  const has = (name: string) => typeof target === 'object' && target !== null && name in target;
  if (/^\/scenarios\/\d+$/.test(instancePath)) {
    return has('respond') && has('sequence')
      ? `${path} has both "respond" and "sequence"; keep one: "respond" (the same answer every time) or "sequence" (one answer per request, in order)`
      : `${path} needs "respond" (the same answer every time) or "sequence" (one answer per request, in order)`;
  }
  if (instancePath === '/latency') {
    if (has('ms') && (has('minMs') || has('maxMs'))) {
      return `${path} must be {ms} or {minMs, maxMs}, not both: remove "ms" or the range`;
    }
    if (has('minMs') !== has('maxMs')) {
      return `${path} must be {ms} or {minMs, maxMs}: "${has('minMs') ? 'maxMs' : 'minMs'}" is missing`;
    }
    return `${path} must be {ms} or {minMs, maxMs}, each an integer in 0..600000`;
  }
  return `${path} matches none or several of its alternatives`;
}

/** An ajv error as `keys[0].quota must be >= 0`: the path a user finds in their file, then what was expected. */
function describeError(error: ErrorObject | undefined): string {
  if (!error) return 'the config is invalid';
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return `${path} has an unknown property "${String(params.additionalProperty)}"`;
    case 'required':
      return `${path} must have the property "${String(params.missingProperty)}"`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

function pathOf(instancePath: string): string {
  if (instancePath === '') return 'the config';
  return instancePath
    .slice(1)
    .split('/')
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
}
