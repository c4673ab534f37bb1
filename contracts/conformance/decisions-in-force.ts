import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import {
  type DecisionName,
  type DecisionProfile,
  decisionCatalogue,
  specDecisionProfile,
} from '../../src/spec/decision-catalogue.js';

/** The environment variable naming the team's mock config, whose `decisions:` the live run judges by. */
export const MOCK_CONFIG_VARIABLE = 'ACCUAUTH_MOCK_CONFIG';

/** The decisions a live run judges the undocumented cases by, and where each one set was read. */
export interface DecisionsInForce {
  profile: DecisionProfile;
  /** The config file read, when ACCUAUTH_MOCK_CONFIG names one. */
  file: string | undefined;
  /** The 1-based line of each decision the file sets. */
  lines: ReadonlyMap<DecisionName, number>;
}

/**
 * The decisions in force for a live run: the `decisions:` of the mock config ACCUAUTH_MOCK_CONFIG names (as
 * `drift --config` takes them: the rest of the config scripts a team's tests, not the vendor), over the spec's
 * choices; the spec's choices alone when it is not set. Only `decisions:` is read and checked here: the contract
 * suites judge a target and do not load the mock, which checks the whole file when it starts from it.
 */
export function decisionsInForce(
  env: NodeJS.ProcessEnv,
): { ok: true; decisions: DecisionsInForce } | { ok: false; reason: string } {
  const file = env[MOCK_CONFIG_VARIABLE];
  if (file === undefined || file === '') {
    return { ok: true, decisions: { profile: specDecisionProfile(), file: undefined, lines: new Map() } };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: `${MOCK_CONFIG_VARIABLE}=${file}: cannot read the mock config (${code})` };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    return { ok: false, reason: `${file}: not valid YAML or JSON: ${document.errors[0]?.message ?? ''}` };
  }
  const profile: Record<string, string> = { ...specDecisionProfile() };
  const lines = new Map<DecisionName, number>();
  const block = document.get('decisions', true);
  if (block !== undefined && block !== null && !isMap(block)) {
    return { ok: false, reason: `${file}: decisions must be a map of decision name to alternative` };
  }
  for (const pair of isMap(block) ? block.items : []) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const decision = decisionCatalogue().get(name as DecisionName);
    if (!decision) {
      const known = [...decisionCatalogue().keys()].join(', ');
      return { ok: false, reason: `${file}: decisions has an unknown property "${name}"; known: ${known}` };
    }
    const value = isScalar(pair.value) ? String(pair.value.value) : String(pair.value);
    if (!decision.alternatives.has(value)) {
      const allowed = [...decision.alternatives.keys()].join(', ');
      return { ok: false, reason: `${file}: decisions.${name} must be one of ${allowed}` };
    }
    profile[name] = value;
    const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) lines.set(decision.name, lineCounter.linePos(offset).line);
  }
  return { ok: true, decisions: { profile: profile as DecisionProfile, file, lines } };
}

/**
 * A live answer that another alternative of a decision explains, said with the decision, the choice in force and
 * where it comes from, and the line of the profile that would make the run (and the mock) answer so.
 */
export function decisionMismatch(decisions: DecisionsInForce, decision: DecisionName, shown: string): string {
  const inForce = decisions.profile[decision];
  const line = decisions.lines.get(decision);
  const source =
    decisions.file === undefined
      ? "the spec's choice"
      : line === undefined
        ? `the spec's choice; ${decisions.file} does not set it`
        : `${decisions.file} line ${line}`;
  const fix =
    decisions.file === undefined
      ? `point ${MOCK_CONFIG_VARIABLE} at your mock config with \`decisions: { ${decision}: ${shown} }\``
      : line === undefined
        ? `add \`${decision}: ${shown}\` under \`decisions:\` in ${decisions.file}`
        : `change ${decisions.file} line ${line} to \`${decision}: ${shown}\``;
  return (
    `decision ${decision}: the target answered as "${shown}" would, not as "${inForce}" (in force: ${source}); ` +
    `if your vendor decides so, ${fix}`
  );
}
