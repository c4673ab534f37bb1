import type { DecisionName, DecisionProfile } from '../../src/spec/decision-catalogue.js';
import { VENDOR_TIMEOUT_MS } from '../../src/vendor-timeouts.js';
import type { TargetAnswer } from '../conformance/judge-answer.js';
import type { BehaviourSummary } from './behaviour-drift.js';
import type { DecisionDrift } from './decision-drift.js';
import type { RequestSummary } from './describe-request.js';
import { type ClassedFinding, FINDING_CLASSES, type FindingClass } from './finding-class.js';

/**
 * What a drift check found, as every report writer (JSON, Markdown summary, JUnit) reads it. In a module of its
 * own so the writers depend on the report's shape, not on each other.
 */
export type DriftExitCode = 0 | 1 | 2;

export const VERDICTS = { 0: 'no drift', 1: 'drift found', 2: 'could not check' } as const;

/**
 * Exit 0 although findings were made: each is of a class `--fail-on` leaves out. Its own verdict, so no report says
 * "no drift" above the findings it lists.
 */
export const DRIFT_NOT_SET_TO_FAIL = 'drift found, not set to fail' as const;

export type DriftVerdict = (typeof VERDICTS)[DriftExitCode] | typeof DRIFT_NOT_SET_TO_FAIL;

/** The verdict every report shows: the exit code's, except for findings that exit 0 under `--fail-on`. */
export function driftVerdict(exitCode: DriftExitCode, probes: readonly ProbeDrift[]): DriftVerdict {
  return exitCode === 0 && probes.some((probe) => probe.findings.length > 0)
    ? DRIFT_NOT_SET_TO_FAIL
    : VERDICTS[exitCode];
}

/** The classes with findings that `--fail-on` leaves out: reported in full, but they do not fail the run. */
export function classesNotSetToFail(report: Pick<DriftReport, 'probes' | 'failOn' | 'exitCode'>): FindingClass[] {
  if (report.exitCode === 2 || report.failOn === undefined) return [];
  const found = new Set(report.probes.flatMap((probe) => probe.classedFindings.map((finding) => finding.class)));
  return FINDING_CLASSES.filter((findingClass) => found.has(findingClass) && !report.failOn?.includes(findingClass));
}

/** One probe's comparison: what each side answered and every difference found. */
export interface ProbeDrift {
  probe: string;
  checks: string;
  decisions: readonly DecisionName[];
  spendsQuota: boolean;
  findings: string[];
  /** The same findings with their class (contract, decision, behaviour), for the plots over the nights. */
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
  verdict: DriftVerdict;
  /** One sentence a person can act on. */
  message: string;
  probes: ProbeDrift[];
  /** With `--cassette`: the behaviour check's calls spent, cap and tolerance; its images are in `probes`. */
  behaviour?: BehaviourSummary;
  /** The reference mock's decisions (its config's `decisions:` over the spec's choices). */
  decisions?: DecisionProfile;
  /** The decisions the target answered as another alternative would: what mock-profile.yaml sets. */
  decisionDrifts?: DecisionDrift[];
  /** The finding classes that make the check exit 1 (`--fail-on`). */
  failOn?: FindingClass[];
}

/** How long the drift check waits for each answer, the target's and the reference mock's alike, unless told. */
export const DEFAULT_DRIFT_TIMEOUT_MS = VENDOR_TIMEOUT_MS.tool;

/**
 * The bound on a whole drift run against a target that accepts connections and never answers: every probe's wait is
 * cut to what is left of this deadline, and a probe not sent by then counts as unanswered. With the default options
 * a hung vendor is judged "could not check" in this time plus the reference mock's start and the reports' writing
 * (well under a second), so within a minute, where 20 probes x 15 s used to take five.
 */
export const DEFAULT_DRIFT_DEADLINE_MS = 45_000;
