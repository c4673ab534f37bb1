import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/secret-redaction.js';
import type { DecisionName } from '../../src/spec/decision-catalogue.js';
import type { TargetAnswer } from '../conformance/judge-answer.js';
import type { RequestSummary } from './describe-request.js';
import type { DriftHistory } from './drift-history.js';
import { driftHtml } from './drift-html.js';
import { driftJunit } from './drift-junit.js';
import { driftSummary } from './drift-summary.js';
import type { ClassedFinding } from './finding-class.js';

export type DriftExitCode = 0 | 1 | 2;

export const VERDICTS = { 0: 'no drift', 1: 'drift found', 2: 'could not check' } as const;

/** One probe's comparison: what each side answered and every difference found. */
export interface ProbeDrift {
  probe: string;
  checks: string;
  decisions: readonly DecisionName[];
  spendsQuota: boolean;
  findings: string[];
  /** The same findings with their class (issue 10: contract, decision, behaviour), for the plots over the nights. */
  classedFindings: ClassedFinding[];
  /** What was sent, in words: the request that showed the findings. */
  request: RequestSummary;
  /** How long the target took to answer, in ms; null when it did not answer. */
  latencyMs: number | null;
  target: TargetAnswer;
  mock: TargetAnswer | null;
  /** Where the mock itself breaks the spec: a bug of ours, reported but never counted as vendor drift. */
  mockProblems: string[];
}

export interface DriftReport {
  checkedAt: string;
  target: string;
  timeoutMs: number;
  exitCode: DriftExitCode;
  verdict: (typeof VERDICTS)[DriftExitCode];
  /** One sentence a person can act on. */
  message: string;
  probes: ProbeDrift[];
}

export const REPORT_FILES = {
  json: 'drift-report.json',
  summary: 'drift-summary.md',
  junit: 'drift-junit.xml',
  html: 'drift-report.html',
} as const;

/** Raw text bodies (HTML error pages) are kept only this long in a report. */
const TEXT_BODY_LIMIT = 2000;

/**
 * Writes the four reports into `outDir` (created if needed) and returns their paths. The report is scrubbed of
 * the secrets once more right here, the last step before anything reaches the disk; so is the history, which comes
 * from files anyone could have put in its directory.
 */
export function writeDriftReports(
  report: DriftReport,
  outDir: string,
  secrets: readonly (string | undefined)[],
  history?: DriftHistory,
): string[] {
  const safe = redact(shortenTextBodies(report), secrets);
  mkdirSync(outDir, { recursive: true });
  const files = [
    [REPORT_FILES.json, `${JSON.stringify(safe, null, 2)}\n`],
    [REPORT_FILES.summary, driftSummary(safe)],
    [REPORT_FILES.junit, driftJunit(safe)],
    [REPORT_FILES.html, driftHtml(safe, history && redact(history, secrets))],
  ] as const;
  return files.map(([name, content]) => {
    const path = join(outDir, name);
    writeFileSync(path, content);
    return path;
  });
}

function shortenTextBodies(report: DriftReport): DriftReport {
  const shorten = (answer: TargetAnswer | null): TargetAnswer | null =>
    answer?.kind === 'answered' && !answer.bodyIsJson && String(answer.body).length > TEXT_BODY_LIMIT
      ? { ...answer, body: `${String(answer.body).slice(0, TEXT_BODY_LIMIT)}...` }
      : answer;
  return {
    ...report,
    probes: report.probes.map((probe) => ({
      ...probe,
      target: shorten(probe.target) as TargetAnswer,
      mock: shorten(probe.mock),
    })),
  };
}
