import { DECISION_ALTERNATIVES, type DecisionName, type DecisionProfile } from '../generated/decisions.js';
import { readImageConstraints } from './image-constraints.js';
import { loadSpec, predictGenderOperation, type SpecDocument } from './spec-document.js';

export type { DecisionChoice, DecisionName, DecisionProfile } from '../generated/decisions.js';

/** One case the vendor documentation leaves open, as the spec's `x-decisions` states it. */
export interface Decision {
  name: DecisionName;
  summary: string;
  /** The spec's choice: what the mock does unless its config says otherwise. */
  choice: string;
  /** Every allowed choice (the spec's among them), with what it means. */
  alternatives: ReadonlyMap<string, string>;
  /** For decisions about a number: the number each alternative means. */
  values?: ReadonlyMap<string, number>;
}

/**
 * Reads and checks the spec's `x-decisions`: each decision has a summary, a choice among its alternatives, and (for
 * `max-image-bytes`) the number of each alternative, the choice's equal to `x-image-constraints.maxBytes`, so the
 * two statements of the limit cannot disagree. The names must be those of the generated `DecisionName` type:
 * `npm run generate` rewrites it from the spec, and a test fails while it is stale.
 */
export function readDecisionCatalogue(spec: SpecDocument = loadSpec()): ReadonlyMap<DecisionName, Decision> {
  const raw = predictGenderOperation(spec)['x-decisions'];
  if (!isRecord(raw)) throw new Error("the spec's operation has no x-decisions object");
  const catalogue = new Map<DecisionName, Decision>();
  for (const [name, entry] of Object.entries(raw)) {
    if (!isDecisionName(name)) {
      throw new Error(`x-decisions.${name} is not in src/generated/decisions.ts; run \`npm run generate\``);
    }
    catalogue.set(name, readDecision(name, entry));
  }
  for (const name of Object.keys(DECISION_ALTERNATIVES)) {
    if (!catalogue.has(name as DecisionName)) {
      throw new Error(`x-decisions has no ${name}, which src/generated/decisions.ts names; run \`npm run generate\``);
    }
  }
  const bytes = catalogue.get('max-image-bytes');
  const maxBytes = readImageConstraints(spec).maxBytes;
  if (bytes?.values?.get(bytes.choice) !== maxBytes) {
    throw new Error(
      `x-decisions.max-image-bytes: the choice's value must equal x-image-constraints.maxBytes (${maxBytes})`,
    );
  }
  return catalogue;
}

function readDecision(name: DecisionName, entry: unknown): Decision {
  const where = `x-decisions.${name}`;
  if (!isRecord(entry) || typeof entry.summary !== 'string' || typeof entry.choice !== 'string') {
    throw new Error(`${where} must have a summary, a choice and alternatives`);
  }
  const alternatives = textMap(entry.alternatives, `${where}.alternatives`, 'string');
  const expected = DECISION_ALTERNATIVES[name] as readonly string[];
  if ([...alternatives.keys()].join() !== expected.join()) {
    throw new Error(`${where}.alternatives differ from src/generated/decisions.ts; run \`npm run generate\``);
  }
  if (!alternatives.has(entry.choice)) {
    throw new Error(`${where}.choice is ${entry.choice}, not one of its alternatives (${expected.join(', ')})`);
  }
  const decision: Decision = { name, summary: entry.summary, choice: entry.choice, alternatives };
  if (entry.values === undefined) return decision;
  const values = textMap(entry.values, `${where}.values`, 'number');
  for (const key of values.keys()) {
    if (!alternatives.has(key)) throw new Error(`${where}.values.${key} is not an alternative`);
  }
  return { ...decision, values };
}

function textMap<T extends 'string' | 'number'>(
  raw: unknown,
  where: string,
  type: T,
): Map<string, T extends 'string' ? string : number> {
  if (!isRecord(raw)) throw new Error(`${where} must be an object`);
  const map = new Map<string, T extends 'string' ? string : number>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== type) throw new Error(`${where}.${key} must be a ${type}`);
    map.set(key, value as T extends 'string' ? string : number);
  }
  return map;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDecisionName(name: string): name is DecisionName {
  return Object.hasOwn(DECISION_ALTERNATIVES, name);
}

let cached: ReadonlyMap<DecisionName, Decision> | undefined;

/** The decisions of the packaged spec, read once. */
export function decisionCatalogue(): ReadonlyMap<DecisionName, Decision> {
  cached ??= readDecisionCatalogue();
  return cached;
}

/** The spec's choice for every decision: what a mock without a `decisions:` block does. */
export function specDecisionProfile(): DecisionProfile {
  const profile: Record<string, string> = {};
  for (const decision of decisionCatalogue().values()) profile[decision.name] = decision.choice;
  return profile as DecisionProfile;
}
