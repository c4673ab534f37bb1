import type { JournalEntry } from '../state/request-journal.js';
import { type AuditSettings, type AuditView, ClientAudit, FINDING_KINDS, type FindingKind } from './client-audit.js';
import { type CoverageView, OutcomeCoverage } from './outcome-coverage.js';
import { ALL_OUTCOMES, type RequiredOutcome } from './required-outcomes.js';

/** What the judge is told by the config: what the suite must meet, and the audit's settings. */
export interface JudgeSettings {
  /** The config's `coverage.require`; default: nothing required. */
  require?: readonly RequiredOutcome[];
  audit?: AuditSettings;
}

/** Coverage and audit of the same calls, as one value: what `accuauth-kit report` writes out. */
export interface ClientJudgement {
  /** ISO instant counting started (the mock's start or its last reset; the first entry for journal files). */
  since: string;
  coverage: CoverageView;
  audit: AuditView;
}

/**
 * Error-path coverage and client-behaviour audit of one stream of journal entries: the live mock feeds it each
 * entry as it is journaled, and `accuauth-kit report` replays journal files through the same class, so the report
 * of a stopped mock says what the running one said. `reset()` starts counting afresh.
 */
export class ClientJudge {
  private coverageCount: OutcomeCoverage;
  private clientAudit: ClientAudit;
  private since: string;

  /**
   * `replay`: the entries are a saved journal, so counting starts at the first entry's instant rather than now.
   */
  constructor(
    private readonly settings: JudgeSettings = {},
    private readonly replay = false,
  ) {
    this.coverageCount = new OutcomeCoverage();
    this.clientAudit = new ClientAudit(settings.audit);
    this.since = new Date().toISOString();
  }

  /** Counts one answer; `source` names the journal file it came from when several are merged. */
  record(entry: JournalEntry, source?: string): void {
    if (this.replay && this.coverageCount.isEmpty()) this.since = entry.receivedAt ?? entry.at;
    this.coverageCount.record(entry);
    this.clientAudit.record(entry, source);
  }

  /** What the calls met; `require` (default the config's `coverage.require`) says what they had to meet. */
  coverage(require: readonly RequiredOutcome[] = this.settings.require ?? []): CoverageView {
    return this.coverageCount.view(require);
  }

  audit(): AuditView {
    return this.clientAudit.view();
  }

  judgement(require?: readonly RequiredOutcome[]): ClientJudgement {
    return { since: this.since, coverage: this.coverage(require), audit: this.audit() };
  }

  reset(): void {
    this.coverageCount = new OutcomeCoverage();
    this.clientAudit = new ClientAudit(this.settings.audit);
    this.since = new Date().toISOString();
  }
}

/** Whether a judgement passes a gate: every required outcome met and no finding of a failing kind. */
export interface JudgementVerdict {
  passed: boolean;
  unmet: CoverageView['unmet'];
  failingFindings: AuditView['findings'];
  /** One line for people: what passed, or what is missing and which findings fail. */
  message: string;
}

export function judgementVerdict(
  judgement: ClientJudgement,
  failOn: readonly FindingKind[] = FINDING_KINDS,
): JudgementVerdict {
  const failing = new Set<string>(failOn);
  const unmet = judgement.coverage.unmet;
  const failingFindings = judgement.audit.findings.filter((finding) => failing.has(finding.kind));
  const problems = [
    ...(unmet.length > 0 ? [`never answered: ${unmet.join(', ')}`] : []),
    ...(failingFindings.length > 0
      ? [`findings: ${[...new Set(failingFindings.map((finding) => finding.kind))].join(', ')}`]
      : []),
  ];
  const required = judgement.coverage.required.length;
  return {
    passed: problems.length === 0,
    unmet,
    failingFindings,
    message:
      problems.length === 0
        ? `${judgement.coverage.calls} calls: ${required === 0 ? 'nothing required' : `all ${required} required outcomes met`}, no failing finding`
        : `${judgement.coverage.calls} calls: ${problems.join('; ')}`,
  };
}

/** Thrown by `assertCovered()` when outcomes the suite must meet were never answered; `unmet` lists them. */
export class CoverageError extends Error {
  constructor(readonly unmet: readonly string[]) {
    super(
      `the client's calls never got ${unmet.join(', ')}: provoke each (Prefer: code=..., a scenario, or ` +
        "POST /__admin/next) and check the client's handling of it",
    );
    this.name = 'CoverageError';
  }
}

/**
 * The handles' `assertCovered(...require)`: throws CoverageError naming each outcome among `require` never
 * answered; with no argument, the config's `coverage.require`, else every documented status value.
 */
export function coverageAssertion(
  coverage: (require: readonly RequiredOutcome[]) => CoverageView,
  configured: readonly RequiredOutcome[] | undefined,
): (...require: RequiredOutcome[]) => void {
  return (...require) => {
    const { unmet } = coverage(require.length > 0 ? require : (configured ?? [ALL_OUTCOMES]));
    if (unmet.length > 0) throw new CoverageError(unmet);
  };
}
