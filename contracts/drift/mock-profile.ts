import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { redact } from '../../src/secret-redaction.js';
import type { DecisionDrift } from './decision-drift.js';

export const MOCK_PROFILE_FILE = 'mock-profile.yaml';

/**
 * mock-profile.yaml: the config the drift check was given (its text, comments kept; an empty config when none was)
 * with `decisions:` set to what the live API showed. `accuauth-kit mock --config` of it answers those cases like
 * the live API, and `accuauth-kit drift --config` of it finds no decision drift against the same target. The
 * target's id and secret are scrubbed like every report, should the given config hold them.
 */
export function mockProfileYaml(
  config: { text: string; dir: string } | undefined,
  drifts: readonly DecisionDrift[],
  meta: { target: string; checkedAt: string; profileDir: string },
  secrets: readonly (string | undefined)[],
): string {
  const document = config === undefined ? new Document({}) : parseDocument(config.text);
  if (!isMap(document.contents)) document.contents = document.createNode({}) as typeof document.contents;
  if (config !== undefined) rebasePaths(document, config.dir, meta.profileDir);
  for (const drift of drifts) document.setIn(['decisions', drift.decision], drift.shown);
  const lines = drifts.map(
    (drift) => ` ${drift.decision}: ${drift.shown} (was ${drift.configured}; told by ${drift.probes.join(', ')})`,
  );
  document.commentBefore = [
    ` Written by accuauth-kit drift against ${meta.target} at ${meta.checkedAt}: the decisions the live API showed.`,
    ...lines,
    ' Use it as the mock config (accuauth-kit mock --config) and the drift reference (accuauth-kit drift --config).',
    ...(document.commentBefore ? [document.commentBefore] : []),
  ].join('\n');
  // Value by value (a whole value equal to the id or secret, whatever its length), then the text once more.
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string') node.value = redact(node.value, secrets);
    },
  });
  return redact(String(document), secrets);
}

/**
 * The config's file paths (its `cassettes:`, the only ones it has) are relative to the config file, so copied
 * verbatim they would point elsewhere from the profile's directory: each relative one is rewritten to name the same
 * file from there. Absolute paths stay as written.
 */
function rebasePaths(document: Document, fromDir: string, toDir: string): void {
  const cassettes = document.getIn(['cassettes'], true);
  if (!isSeq(cassettes)) return;
  for (const item of cassettes.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || isAbsolute(item.value)) continue;
    item.value = relative(resolve(toDir), resolve(fromDir, item.value)) || '.';
  }
}

/** Writes mock-profile.yaml into `outDir` (which the reports already created) and returns its path. */
export function writeMockProfile(outDir: string, text: string): string {
  const path = join(outDir, MOCK_PROFILE_FILE);
  writeFileSync(path, text);
  return path;
}
