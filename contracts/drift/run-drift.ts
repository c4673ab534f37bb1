import { redact } from '../../src/secret-redaction.js';
import { type DecisionProfile, specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { errorCatalogue, keyRefusals } from '../../src/spec/error-catalogue.js';
import type { ErrorStatus } from '../../src/types.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../src/vendor/vendor-request.js';
import { statusOf } from '../conformance/judge-answer.js';
import { type ProbeOutcome, runProbes } from '../conformance/run-probes.js';
import { liveProbes, type Probe, probesUnder } from '../probes/probe-catalogue.js';
import { type BehaviourDriftOptions, type BehaviourSummary, runBehaviourDrift } from './behaviour-drift.js';
import { compareAnswers } from './compare-answers.js';
import { type DecisionDrift, decisionDrifts, decisionsTold } from './decision-drift.js';
import { summariseRequest } from './describe-request.js';
import { readDriftHistory } from './drift-history.js';
import { writeDriftReports } from './drift-report.js';
import {
  DEFAULT_DRIFT_DEADLINE_MS,
  DEFAULT_DRIFT_TIMEOUT_MS,
  type DriftExitCode,
  type DriftReport,
  driftVerdict,
  type ProbeDrift,
} from './drift-report-types.js';
import { driftSummary } from './drift-summary.js';
import {
  type ClassedFinding,
  classifyFindings,
  DEFAULT_FAIL_ON,
  FINDING_CLASSES,
  type FindingClass,
} from './finding-class.js';
import { DEFAULT_LATENCY_TOLERANCE, latencyDrift } from './latency-drift.js';

/** A running reference to compare the target with (the mock), started for the key the target is called with. */
export interface DriftReference {
  url: string;
  close(): Promise<void>;
}

export type StartDriftReference = (key: { apiId: string; apiSecret: string }) => Promise<DriftReference>;

export interface DriftOptions {
  target: { baseUrl: string; apiId?: string | undefined; apiSecret?: string | undefined };
  /**
   * Starts the reference (the composition root, the CLI, hands it in: contracts never import the mock). Called
   * once credentials and base URL are known to be usable; closed before runDrift resolves.
   */
  startReference: StartDriftReference;
  /** Where to write the reports; none are written when absent. */
  outDir?: string | undefined;
  /** A directory of earlier nights' drift-report.json files: the HTML report then plots the trend. */
  historyDir?: string | undefined;
  /** Per request, for the target and the mock alike. Default 15 s. */
  timeoutMs?: number | undefined;
  /** The most decoded bytes read of each answer (`--max-answer-bytes`); default DEFAULT_MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number | undefined;
  /** Default: the live-safe probes, the bounded set a nightly run may spend on the vendor. */
  probes?: readonly Probe[] | undefined;
  /** Behavioural drift (`--cassette`): re-send the cassettes' images and compare with the recordings. */
  behaviour?: Omit<BehaviourDriftOptions, 'target' | 'timeoutMs' | 'maxAnswerBytes'> | undefined;
  /**
   * The decisions the reference mock runs with (the CLI's `--config`); the probes expect its alternatives' answers.
   * Default: the spec's choices. `startReference` must start the mock with the same.
   */
  decisions?: DecisionProfile | undefined;
  /** The finding classes that make the check exit 1; default DEFAULT_FAIL_ON (all but latency). */
  failOn?: readonly FindingClass[] | undefined;
  /**
   * With `historyDir`: how far tonight's p95 latency may move from the history's median p95, as a fraction of it,
   * before it is a `latency` finding. Default DEFAULT_LATENCY_TOLERANCE.
   */
  latencyTolerance?: number | undefined;
  /** The whole run's bound (DEFAULT_DRIFT_DEADLINE_MS): each probe waits at most what is left of it. */
  deadlineMs?: number | undefined;
}

export interface DriftResult {
  exitCode: DriftExitCode;
  message: string;
  report: DriftReport;
  /** The Markdown summary (as written to drift-summary.md). */
  summary: string;
  /** The report files written, if an outDir was given. */
  files: string[];
  /** The decisions the target answered as another alternative would (empty when none or not checked). */
  decisionDrifts: DecisionDrift[];
}

/** Answers are compared raw; `finish` scrubs the whole report before it leaves runDrift. */
const RAW = { redactSecrets: false } as const;

/**
 * The drift check: sends the probes to the target and to the reference (the mock) started with the same key, compares each
 * pair and judges the target against the spec. Exit code 0 no drift, 1 drift found, 2 could not check; never throws
 * for a target that misbehaves, since misbehaving is what it reports.
 */
export async function runDrift(options: DriftOptions): Promise<DriftResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DRIFT_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const { baseUrl, apiId, apiSecret } = options.target;
  const secrets = [apiId, apiSecret];
  const decisions = options.decisions ?? specDecisionProfile();
  const failOn = [...(options.failOn ?? DEFAULT_FAIL_ON)];
  // Read before anything is written, so a history directory that is also --out still holds the previous night's
  // report.
  const history = options.historyDir === undefined ? undefined : readDriftHistory(options.historyDir);
  const finish = (
    exitCode: DriftExitCode,
    message: string,
    probes: ProbeDrift[],
    drifts: DecisionDrift[] = [],
    behaviour?: BehaviourSummary,
  ): DriftResult => {
    const report: DriftReport = redact(
      {
        checkedAt: new Date().toISOString(),
        target: baseUrl,
        timeoutMs,
        exitCode,
        verdict: driftVerdict(exitCode, probes),
        message,
        probes,
        decisions,
        decisionDrifts: drifts,
        failOn,
        ...(behaviour === undefined ? {} : { behaviour }),
      },
      secrets,
    );
    const files = options.outDir ? writeDriftReports(report, options.outDir, secrets, history) : [];
    return {
      exitCode,
      message: report.message,
      report,
      summary: driftSummary(report),
      files,
      decisionDrifts: report.decisionDrifts ?? [],
    };
  };

  if (!apiId || !apiSecret) {
    return finish(
      2,
      'could not check: ACCUAUTH_API_ID and ACCUAUTH_API_SECRET are not set (or pass --api-id and --api-secret); ' +
        'the drift check needs a real key to ask the vendor anything beyond its refusals',
      [],
    );
  }
  if (!URL.canParse(baseUrl)) {
    return finish(
      2,
      `could not check: the base URL ${JSON.stringify(baseUrl)} is not a URL (--base-url or ACCUAUTH_BASE_URL)`,
      [],
    );
  }
  // Each telling probe expects the answers of the reference's alternative, so the mock is judged as configured.
  const probes = probesUnder(options.probes ?? liveProbes(), decisions);
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DRIFT_DEADLINE_MS);

  let mock: DriftReference;
  try {
    mock = await options.startReference({ apiId, apiSecret });
  } catch (error) {
    return finish(2, `could not check: the in-process mock did not start (${String(error)})`, []);
  }
  let targetOutcomes: ProbeOutcome[];
  let mockOutcomes: ProbeOutcome[];
  try {
    // The target's face box order is judged as a decision (decision-drift.ts), so not as a contract problem here.
    [targetOutcomes, mockOutcomes] = await Promise.all([
      runProbes({ baseUrl, apiId, apiSecret, timeoutMs, maxAnswerBytes }, probes, { ...RAW, faceBox: 'any', deadline }),
      runProbes({ baseUrl: mock.url, apiId, apiSecret, timeoutMs, maxAnswerBytes }, probes, {
        ...RAW,
        faceBox: decisions['face-box'],
        deadline,
      }),
    ]);
  } finally {
    await mock.close();
  }

  const probeDrifts = targetOutcomes.map((target, index) => probeDrift(target, mockOutcomes[index], decisions));
  let drifts = probeDrifts;
  let [exitCode, message] = verdictOf(targetOutcomes, drifts, baseUrl, timeoutMs, options.outDir, failOn);
  // Behavioural drift: only once the probes showed the target answers, so an outage costs no more calls.
  let behaviour: BehaviourSummary | undefined;
  if (options.behaviour && exitCode !== 2) {
    const checked = await runBehaviourDrift({
      ...options.behaviour,
      target: { baseUrl, apiId, apiSecret },
      timeoutMs,
      maxAnswerBytes,
      faceBox: decisions['face-box'],
    });
    if (!checked.ok) return finish(2, `could not check: ${checked.reason} (--cassette)`, probeDrifts);
    behaviour = checked.summary;
    drifts = [...probeDrifts, ...checked.drifts];
    [exitCode, message] = verdictOf(targetOutcomes, drifts, baseUrl, timeoutMs, options.outDir, failOn);
  }
  // The vendor's weather: only with a history to compare with, and only on a night that measured answers.
  const latency =
    history && exitCode !== 2
      ? latencyDrift({
          latencies: drifts.flatMap((drift) => (drift.latencyMs === null ? [] : [drift.latencyMs])),
          history,
          target: baseUrl,
          tolerance: options.latencyTolerance ?? DEFAULT_LATENCY_TOLERANCE,
        })
      : undefined;
  if (latency) {
    drifts = [...drifts, latency];
    [exitCode, message] = verdictOf(targetOutcomes, drifts, baseUrl, timeoutMs, options.outDir, failOn);
  }
  if (behaviour) {
    message += `; behaviour: ${behaviour.images} cassette images, ${behaviour.callsSpent} calls spent of at most ${behaviour.maxCalls}`;
  }
  // When the check could not run (an outage, a refused key), nothing was compared: the verdict's message is the one
  // finding, and the probes keep their answers for diagnosis without listing the same outage twenty times as drift.
  if (exitCode === 2) {
    return finish(
      exitCode,
      message,
      drifts.map((drift) => ({ ...drift, findings: [], classedFindings: [] })),
      [],
      behaviour,
    );
  }
  return finish(exitCode, message, drifts, decisionDrifts(targetOutcomes, decisions), behaviour);
}

/**
 * One probe's findings, each classed where it is made: a telling probe answered as another alternative of its
 * decision is one `decision` finding, and the answer is then compared as that alternative would answer it, so only
 * what else differs is `contract`. (Further checks, such as behaviour, add their own classed findings here.)
 */
function probeDrift(target: ProbeOutcome, mock: ProbeOutcome | undefined, decisions: DecisionProfile): ProbeDrift {
  const told = decisionsTold(target, decisions);
  const byProbe = told.find((entry) => entry.decision === target.probe.tells?.decision);
  const shownExpected = byProbe ? target.probe.tells?.expected[byProbe.shown[0] ?? ''] : undefined;
  const contract = mock ? compareAnswers(target, mock, shownExpected) : target.specProblems;
  const classedFindings: ClassedFinding[] = [
    ...classifyFindings(contract, 'contract'),
    ...classifyFindings(
      told.map((entry) => entry.finding),
      'decision',
    ),
  ];
  const findings = classedFindings.map((classed) => classed.finding);
  return {
    probe: target.probe.name,
    checks: target.probe.checks,
    decisions: target.probe.decisions,
    spendsQuota: target.probe.spendsQuota,
    findings,
    classedFindings,
    request: summariseRequest(target.probe.request),
    latencyMs: target.answer.kind === 'answered' ? target.answer.durationMs : null,
    target: target.answer,
    mock: mock?.answer ?? null,
    mockProblems: mock ? [...mock.specProblems, ...mock.expectationProblems] : [],
  };
}

/** How many drifted probes the one-line verdict names. */
const VERDICT_PROBES = 5;

function verdictOf(
  outcomes: readonly ProbeOutcome[],
  drifts: readonly ProbeDrift[],
  baseUrl: string,
  timeoutMs: number,
  outDir: string | undefined,
  failOn: readonly FindingClass[],
): [DriftExitCode, string] {
  const answered = outcomes.flatMap((outcome) => (outcome.answer.kind === 'answered' ? [outcome.answer] : []));
  if (answered.length === 0) {
    const first = outcomes[0]?.answer;
    const why = first?.kind === 'no-answer' ? first.message : 'no probe was sent';
    return [
      2,
      `could not check: none of the ${outcomes.length} probes got an answer from ${baseUrl} (${why}); ` +
        `check the base URL, the network and any proxy, or raise --timeout-ms (now ${timeoutMs} ms)`,
    ];
  }
  if (answered.every((answer) => answer.httpCode >= 500)) {
    const codes = [...new Set(answered.map((answer) => answer.httpCode))].join(', ');
    return [
      2,
      `could not check: ${baseUrl} answered HTTP ${codes} to every probe it answered (${answered.length} of ` +
        `${outcomes.length}); the vendor looks down, so nothing could be compared. Run the check again later`,
    ];
  }
  // When every probe sent with the key gets a refusal of the key, nothing about the endpoint was learned: the
  // check could not run, and the person has to fix the key, not the code.
  const keyed = outcomes.filter(
    (outcome) =>
      outcome.probe.request.credentials === 'target' &&
      outcome.probe.expected.every((want) => !keyRefusals().has(want.status as ErrorStatus)) &&
      outcome.answer.kind === 'answered',
  );
  const refusals = keyed.map((outcome) => (outcome.answer.kind === 'answered' ? statusOf(outcome.answer.body) : ''));
  const refusal = refusals[0];
  if (
    keyed.length > 0 &&
    refusal &&
    keyRefusals().has(refusal as ErrorStatus) &&
    refusals.every((s) => s === refusal)
  ) {
    const description = errorCatalogue().get(refusal as ErrorStatus)?.description ?? refusal;
    return [
      2,
      `could not check: ${baseUrl} refused the key on every probe that sends it (${refusal}: ${description}); ` +
        'check ACCUAUTH_API_ID and ACCUAUTH_API_SECRET and the account',
    ];
  }
  const drifted = drifts.filter((drift) => drift.findings.length > 0);
  const where = outDir ? `; details in ${outDir}` : '';
  if (drifted.length > 0) {
    // The probes' names only: the findings are listed once, in the reports (and in the summary a terminal shows).
    const shown = drifted.slice(0, VERDICT_PROBES).map((drift) => drift.probe);
    const more = drifted.length > VERDICT_PROBES ? ` and ${drifted.length - VERDICT_PROBES} more` : '';
    const counts = FINDING_CLASSES.map(
      (findingClass) =>
        [
          findingClass,
          drifts.flatMap((d) => d.classedFindings).filter((f) => f.class === findingClass).length,
        ] as const,
    ).filter(([, count]) => count > 0);
    const classes = counts.map(([findingClass, count]) => `${count} ${findingClass}`).join(', ');
    const failing = counts.some(([findingClass]) => failOn.includes(findingClass));
    const found = `drift found in ${drifted.length} of ${drifts.length} probes (${classes} findings, on ${shown.join(', ')}${more})${where}`;
    // --fail-on: findings of the other classes are reported in full but do not fail the run; say which they are.
    const notSet = counts
      .filter(([findingClass]) => !failOn.includes(findingClass))
      .map(([findingClass]) => findingClass);
    const notSetToFail =
      notSet.length === 0
        ? ''
        : `; ${notSet.join(' and ')} findings are not set to fail (--fail-on ${failOn.join(',')})`;
    return [failing ? 1 : 0, `${found}${notSetToFail}`];
  }
  return [0, `no drift: ${baseUrl} answered all ${drifts.length} probes as the spec and the mock do${where}`];
}
