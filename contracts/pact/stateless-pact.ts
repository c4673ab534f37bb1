import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface PactJson {
  interactions: { description: string; providerStates?: unknown[] }[];
}

/**
 * Writes into `dir` a copy of the pact keeping only the interactions without provider state, and returns its path
 * and their descriptions. The live vendor cannot be put into a state ("key k1 has used up its quota"), so the live
 * run verifies only these; the provider verification against the mock checks this same filtered pact too.
 */
export function writeStatelessPact(pactFile: string, dir: string): { path: string; descriptions: string[] } {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as PactJson;
  const interactions = pact.interactions.filter((i) => (i.providerStates ?? []).length === 0);
  const path = join(dir, 'stateless-pact.json');
  writeFileSync(path, JSON.stringify({ ...pact, interactions }, null, 2));
  return { path, descriptions: interactions.map((i) => i.description) };
}
