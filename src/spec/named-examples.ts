import { computeOnce } from '../compute-once.js';
import { loadSpec, predictGenderOperation, type SpecDocument } from './spec-document.js';

export interface NamedExample {
  name: string;
  httpCode: number;
  summary: string;
  body: unknown;
}

/**
 * Every named example of the operation's responses, in the spec's order, keyed by name (the error examples
 * are named after their status value). Prism's `Prefer: example=NAME` picks from the same set.
 */
export function readNamedExamples(spec: SpecDocument = loadSpec()): ReadonlyMap<string, NamedExample> {
  const examples = new Map<string, NamedExample>();
  for (const [code, response] of Object.entries(predictGenderOperation(spec).responses)) {
    const named = response.content['application/json']?.examples ?? {};
    for (const [name, example] of Object.entries(named)) {
      if (examples.has(name)) throw new Error(`example name ${name} is used twice in the spec`);
      examples.set(name, { name, httpCode: Number(code), summary: example.summary ?? '', body: example.value });
    }
  }
  return examples;
}

/** The examples of the packaged spec, read once. */
export const namedExamples = computeOnce(() => readNamedExamples());
