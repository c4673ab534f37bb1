import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/secret-redaction.js';
import type { DecisionName } from '../../src/spec/decision-catalogue.js';
import type { TargetAnswer } from '../conformance/judge-answer.js';
import { driftJunit } from './drift-junit.js';
import { driftSummary } from './drift-summary.js';

export type DriftExitCode = 0 | 1 | 2;

export const VERDICTS = { 0: 'no drift', 1: 'drift found', 2: 'could not check' } as const;

/** One probe's comparison: what each side answered and every difference found. */
export interface ProbeDrift {
  probe: string;
  checks: string;
  decisions: readonly DecisionName[];
  spendsQuota: boolean;
  findings: string[];
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
} as const;

/** Raw text bodies (HTML error pages) are kept only this long in a report. */
const TEXT_BODY_LIMIT = 2000;

/**
 * Writes the three reports into `outDir` (created if needed) and returns their paths. The report is scrubbed of
 * the secrets once more right here, the last step before anything reaches the disk.
 */
export function writeDriftReports(
  report: DriftReport,
  outDir: string,
  secrets: readonly (string | undefined)[],
): string[] {
  const safe = redact(shortenTextBodies(report), secrets);
  mkdirSync(outDir, { recursive: true });
  const files = [
    [REPORT_FILES.json, `${JSON.stringify(safe, null, 2)}\n`],
    [REPORT_FILES.summary, driftSummary(safe)],
    [REPORT_FILES.junit, driftJunit(safe)],
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
