import { type ClientJudgement, FINDING_KINDS, type FindingKind, judgementVerdict } from '../core/index.js';

/** Exit 0: every required outcome met and no finding of a failing kind; 1: otherwise. */
export type ClientReportExitCode = 0 | 1;

/** What `accuauth-kit report` writes as client-report.json, and renders as Markdown, JUnit and HTML. */
export interface ClientReport extends ClientJudgement {
  /** Where the calls came from: `mock URL`, or the journal files read. */
  source: string;
  generatedAt: string;
  /** The finding kinds that fail the report (`--fail-on`). */
  failOn: FindingKind[];
  passed: boolean;
  exitCode: ClientReportExitCode;
  /** One line for people: the verdict and why. */
  message: string;
}

export function buildClientReport(
  judgement: ClientJudgement,
  options: { source: string; failOn?: readonly FindingKind[]; generatedAt?: string },
): ClientReport {
  const failOn = [...(options.failOn ?? FINDING_KINDS)];
  const verdict = judgementVerdict(judgement, failOn);
  return {
    source: options.source,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    failOn,
    passed: verdict.passed,
    exitCode: verdict.passed ? 0 : 1,
    message: verdict.message,
    ...judgement,
  };
}
