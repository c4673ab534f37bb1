/**
 * Rewrites the generated tables of docs/ (statuses, decisions) from the spec; see docs-tables.ts.
 *
 * Usage: `npm run generate` (runs this last).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { docsWithTables, withFreshTables } from './docs-tables.js';

for (const guide of docsWithTables) {
  const before = readFileSync(guide, 'utf8');
  const after = withFreshTables(before);
  if (after !== before) writeFileSync(guide, after);
  process.stdout.write(`${after === before ? 'unchanged' : 'wrote'} ${guide.pathname}\n`);
}
