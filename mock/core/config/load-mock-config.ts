import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { MAX_CONFIG_BYTES, type RegularFileRead, readRegularFileSync } from '../../../src/regular-file-read.js';
import { REDACTED, redact } from '../../../src/secret-redaction.js';
import { errorCatalogue } from '../../../src/spec/error-catalogue.js';
import { specValidators } from '../../../src/validation/spec-validators.js';
import { disorderedQuantiles } from '../stages/latency-distribution.js';
import { checkStateUrl } from '../state/state-url.js';
import type { LatencyConfig, MockConfig, ScenarioMatch, ScenarioStep } from './mock-config.js';
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
 * PredictGenderResult of the spec; a latency range or a scenario's width, height or bytes range must not be upside
 * down). The reason names the bad field's
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
  if (latency && 'distribution' in latency) {
    const disordered = latencyDistributionProblem(latency);
    if (disordered) return { ok: false, reason: disordered };
  }
  for (const [index, scenario] of (config.scenarios ?? []).entries()) {
    const upsideDown = upsideDownRange(scenario.match, `scenarios[${index}].match`);
    if (upsideDown) return { ok: false, reason: upsideDown };
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

/** A match's range whose min is larger than its max (it would match nothing, silently): the reason, else undefined. */
function upsideDownRange(match: ScenarioMatch | undefined, path: string): string | undefined {
  for (const name of ['width', 'height', 'bytes'] as const) {
    const range = match?.[name];
    if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
      return `${path}.${name}.min (${range.min}) must not be larger than ${path}.${name}.max (${range.max}); such a range matches no image`;
    }
  }
  return undefined;
}

/** Reads a YAML or JSON file (YAML is a superset of JSON) and checks it; the reason starts with the file's path. */
export function readMockConfigFile(path: string, options: ConfigTextOptions = {}): ConfigCheck {
  const read = readConfigText(path);
  return read.ok ? parseMockConfigText(path, read.text, options) : { ok: false, reason: read.reason };
}

export interface ConfigTextOptions {
  /**
   * false: a file with no document (empty, blank or only comments) is refused instead of read as the empty config.
   * A reload says so, since an editor truncates a file mid-save and "no keys" would accept any credentials.
   */
  emptyIsDefault?: boolean;
  /** Secrets known before the file is parsed (the running keys', on reload), kept out of a syntax error's excerpt. */
  knownSecrets?: readonly string[];
}

/** A config file's text as read by `readConfigText`, parsed and checked; the reason starts with `path`. */
export function parseMockConfigText(path: string, text: string, options: ConfigTextOptions = {}): ConfigCheck {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const problem = yamlProblem(error, text, options.knownSecrets ?? []);
    return { ok: false, reason: `${path}: not valid YAML or JSON: ${problem}` };
  }
  if (value === null || value === undefined) {
    if (options.emptyIsDefault === false) {
      return { ok: false, reason: `${path}: the file holds no config (it is empty, blank or only comments)` };
    }
    // An empty file is an empty config: the vendor's default behaviour.
    value = {};
  }
  const check = checkMockConfig(value);
  return check.ok ? check : { ok: false, reason: `${path}: ${check.reason}` };
}

/** A config file's text, read only when it is a regular file of at most MAX_CONFIG_BYTES (see regular-file-read.ts). */
export function readConfigText(path: string): RegularFileRead {
  return readRegularFileSync(path, { what: 'config file', maxBytes: MAX_CONFIG_BYTES });
}

/**
 * The yaml library's message ends with a colon before a code frame; one line that names the place and quotes the
 * offending line reads better in a terminal and in an admin API answer. The file could not be parsed, so its keys'
 * secrets are not known as values: the excerpt (and the message, in case it quotes) drops the value of every
 * secret-like field on the line, and every value the file gives such a field on any line, plus `knownSecrets`.
 */
function yamlProblem(error: unknown, text: string, knownSecrets: readonly string[]): string {
  const message = (error as Error).message.split('\n')[0]?.replace(/:\s*$/, '') ?? 'unreadable';
  const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
  const lines = text.split(/\r?\n/);
  const source = line === undefined ? undefined : lines[line - 1]?.trim();
  const secrets = [...knownSecrets, ...lines.flatMap(secretFieldValues)];
  const clean = (excerpt: string) => redact(withoutSecretFieldValues(excerpt), secrets);
  return source ? `${clean(message)} (the line reads ${JSON.stringify(clean(source))})` : clean(message);
}

/**
 * A field whose name says it holds a secret (`secret`, `apiSecret`, `X-DF-API-SECRET`, `password`, `token`), in
 * block (`secret: v`) or flow (`{"secret": "v", ...}`) style; the value is group 2, up to the end of the line in
 * block style (where it may hold commas) or to the next `,`, `}` or `]` in flow style.
 */
const SECRET_FIELD =
  /(["']?[\w-]*(?:secret|password|passwd|token)[\w-]*["']?\s*:[ \t]*)("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,}\]#][^,}\]#]*)/gi;
const BLOCK_SECRET_FIELD = /^(\s*(?:-\s+)?["']?[\w-]*(?:secret|password|passwd|token)[\w-]*["']?\s*:[ \t]*)(\S.*)$/i;

function withoutSecretFieldValues(line: string): string {
  const block = BLOCK_SECRET_FIELD.exec(line);
  if (block) return `${block[1]}${REDACTED}`;
  return line.replace(SECRET_FIELD, (_all, field: string) => `${field}${REDACTED}`);
}

/** The values a line gives secret-like fields, unquoted, to be kept out of other lines too. */
function secretFieldValues(line: string): string[] {
  const block = BLOCK_SECRET_FIELD.exec(line);
  const values = block ? [block[2] ?? ''] : [...line.matchAll(SECRET_FIELD)].map((match) => match[2] ?? '');
  return values.map((value) => value.trim().replace(/^["']|["']$/g, '')).filter((value) => value !== '');
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

/**
 * What a schema cannot say of a measured distribution: each quantile at least the one before (else the inverse CDF
 * runs backwards), and `byStatus` keyed by the spec's status values (a typo would silently never apply).
 */
function latencyDistributionProblem(latency: Extract<LatencyConfig, { distribution: unknown }>): string | undefined {
  const disordered = disorderedQuantiles(latency.distribution);
  if (disordered) return `latency.distribution.${disordered}`;
  const statuses = ['OK', ...errorCatalogue().keys()];
  for (const [status, quantiles] of Object.entries(latency.byStatus ?? {})) {
    if (!statuses.includes(status)) {
      return `latency.byStatus.${status} is not a status value of the spec; use one of ${statuses.join(', ')}`;
    }
    const wrong = disorderedQuantiles(quantiles);
    if (wrong) return `latency.byStatus.${status}.${wrong}`;
  }
  return undefined;
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
    if (has('distribution')) {
      return `${path}.distribution must be {p50, p95, p99, max} (and optionally min), each an integer in 0..600000; byStatus maps a status value to the same`;
    }
    return `${path} must be {ms}, {minMs, maxMs} or {distribution: {p50, p95, p99, max}}, each an integer in 0..600000`;
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
    case 'minProperties':
      // Only ranges ask for properties today: an empty one ({}) is more likely a slip than "any size".
      return `${path} must have "min", "max" or both`;
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
