import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { driftCommand } from '../../cli/drift-command.js';
import { recordCommand } from '../../cli/record-command.js';
import { type ProbeTarget, runProbes } from '../../contracts/conformance/run-probes.js';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import { DEFAULT_DRIFT_DEADLINE_MS, type DriftReport } from '../../contracts/drift/drift-report-types.js';
import { MOCK_PROFILE_FILE } from '../../contracts/drift/mock-profile.js';
import { liveProbes } from '../../contracts/probes/probe-catalogue.js';
import { type RunningMock, startMock } from '../../mock/index.js';
import { parseCassette, serializeCassette } from '../../src/cassette/cassette.js';
import type { DecisionProfile } from '../../src/generated/decisions.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCommandInProcess, runDriftCommand } from '../support/drift-command-run.js';
import { startDriftedVendor } from '../support/drifted-vendor.js';
import { callPredict } from '../support/predict-request.js';

// A stand-in of the vendor that takes other decisions than the spec: the mock itself, configured so. The drift
// check must name each decision the live probes can tell, write mock-profile.yaml with them, and find no drift when
// given that profile; the mock run with the profile must answer those cases like the stand-in.
const KEY = { id: 'decisions-drift-id', secret: 'decisions-drift-secret-5c1e9a' };
const STAND_IN_DECISIONS: Partial<DecisionProfile> = {
  'urlencoded-base64': 'reject',
  'max-image-bytes': 'megabytes',
  'face-box': 'xywh',
  'both-fields': 'image_base64',
  'base64-alphabet': 'standard-or-url-safe',
  'side-limits': 'exclusive',
  'empty-field': 'invalid',
  'corrupt-image': 'detection-failed',
  'other-methods': 'method-not-allowed',
};
let standIn: RunningMock;
const dirs: string[] = [];

beforeAll(async () => {
  standIn = await startMock({ config: { keys: [KEY], decisions: STAND_IN_DECISIONS } });
});
afterAll(async () => {
  await standIn.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-drift-decisions-'));
  dirs.push(dir);
  return dir;
}

/** `accuauth-kit drift` in-process; the key comes from the environment, as in the workflow. */
async function drift(baseUrl: string, args: string[] = []) {
  const out = tempDir();
  const env = { ACCUAUTH_BASE_URL: baseUrl, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
  const captured = await runDriftCommand(['--out', out, '--timeout-ms', '10000', ...args], env);
  const report = JSON.parse(readFileSync(join(out, REPORT_FILES.json), 'utf8')) as DriftReport;
  return { ...captured, out, report };
}

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) expect(text).not.toContain(KEY.secret);
}

describe('drift against a vendor that takes other decisions', () => {
  let first: Awaited<ReturnType<typeof drift>>;
  beforeAll(async () => {
    first = await drift(standIn.url);
  });

  it('names each decision, the alternative shown and the probes that tell it, all classed decision (exit 1)', () => {
    expect(first.exitCode).toBe(1);
    const shown = Object.fromEntries((first.report.decisionDrifts ?? []).map((d) => [d.decision, d.shown]));
    expect(shown).toEqual(STAND_IN_DECISIONS);
    const classes = first.report.probes.flatMap((probe) => probe.classedFindings.map((f) => f.class));
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['decision']));
    const byProbe = Object.fromEntries(first.report.probes.map((probe) => [probe.probe, probe.findings]));
    expect(byProbe['base64-urlencoded']).toEqual([
      'decision urlencoded-base64: answered as "reject" would, not as "accept" (the reference mock\'s choice); probe base64-urlencoded tells',
    ]);
    expect(byProbe['file-between-mb-and-mib']?.[0]).toMatch(/^decision max-image-bytes: answered as "megabytes"/);
    expect(byProbe['jpeg-file']?.[0]).toMatch(/^decision face-box: answered as "xywh"/);
    expect(first.stdout).toContain('### Decisions the target takes otherwise');
  });

  it('prints each finding once: the one-line verdict names the drifted probes, the summary lists the findings', () => {
    const printed = first.stdout + first.stderr;
    for (const finding of first.report.probes.flatMap((probe) => probe.findings)) {
      expect(printed.split(finding).length - 1, finding).toBe(1);
    }
    const drifted = first.report.probes.filter((probe) => probe.findings.length > 0);
    expect(first.report.message).toMatch(
      new RegExp(
        `^drift found in ${drifted.length} of \\d+ probes \\(\\d+ decision findings, on [^()]+ and \\d+ more\\); details in `,
      ),
    );
    expect(first.report.message).toContain(
      `on ${drifted
        .slice(0, 5)
        .map((probe) => probe.probe)
        .join(', ')} and`,
    );
  });

  it('writes mock-profile.yaml with the decisions shown, and no secret anywhere', () => {
    expect(readdirSync(first.out).sort()).toEqual([...Object.values(REPORT_FILES), MOCK_PROFILE_FILE].sort());
    const profile = parse(readFileSync(join(first.out, MOCK_PROFILE_FILE), 'utf8')) as { decisions: unknown };
    expect(profile).toEqual({ decisions: STAND_IN_DECISIONS });
    expectNoSecret([
      first.stdout,
      first.stderr,
      ...readdirSync(first.out).map((file) => readFileSync(join(first.out, file), 'utf8')),
    ]);
  });

  it('--fail-on picks the classes that exit 1; the verdict, the exit code and every report agree', async () => {
    const tolerated = await drift(standIn.url, ['--fail-on', 'contract']);
    expect(tolerated.exitCode).toBe(0);
    expect(tolerated.report.verdict).toBe('drift found, not set to fail');
    expect(tolerated.report.message).toMatch(/; decision findings are not set to fail \(--fail-on contract\)$/);
    expect(tolerated.stderr).toContain(`accuauth-kit drift: ${tolerated.report.message}\n`);
    const summary = readFileSync(join(tolerated.out, REPORT_FILES.summary), 'utf8');
    expect(summary).toMatch(/^## AccuAuth drift check: drift found, not set to fail \(exit 0\)\n/);
    expect(summary).toContain('Not set to fail: decision findings (`--fail-on contract`).');
    expect(summary).toContain('(decision, not set to fail)');
    expect(summary).not.toContain('no drift');
    const html = readFileSync(join(tolerated.out, REPORT_FILES.html), 'utf8');
    expect(html).toContain('<h1>AccuAuth drift check: drift found, not set to fail</h1>');
    expect(html).toContain('class="verdict verdict-not-set-to-fail"');
    expect(html).toContain('<dt>not set to fail</dt><dd>decision (--fail-on contract)</dd>');
    expect(html).not.toContain('no drift');
    const junit = readFileSync(join(tolerated.out, REPORT_FILES.junit), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*failures="0"/);
    expect(junit).not.toContain('<failure');
    expect(junit).toContain('<property name="not-set-to-fail" value="decision"/>');
    expect(junit).toMatch(/<system-out><!\[CDATA\[decision urlencoded-base64: .*\(decision, not set to fail\)/);

    const failing = await drift(standIn.url, ['--fail-on', 'contract,decision']);
    expect(failing.exitCode).toBe(1);
    expect(failing.report.verdict).toBe('drift found');
    expect(failing.report.message).not.toContain('not set to fail');
    const failingJunit = readFileSync(join(failing.out, REPORT_FILES.junit), 'utf8');
    const drifted = failing.report.probes.filter((probe) => probe.findings.length > 0).length;
    expect(failingJunit).toMatch(new RegExp(`<testsuites [^>]*failures="${drifted}"`));
    expect(failingJunit).not.toContain('<system-out>');
    await expect(drift(standIn.url, ['--fail-on', 'decisions'])).rejects.toThrow(/unknown class decisions/);
  });

  it('drift --config mock-profile.yaml against the same target exits 0', async () => {
    const again = await drift(standIn.url, ['--config', join(first.out, MOCK_PROFILE_FILE)]);
    expect(again.report.probes.flatMap((probe) => probe.findings)).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(readdirSync(again.out)).not.toContain(MOCK_PROFILE_FILE);
  });

  it('the mock run with mock-profile.yaml answers every live probe as the stand-in does', async () => {
    const mock = await startMock({ config: join(first.out, MOCK_PROFILE_FILE) });
    try {
      const target = (baseUrl: string): ProbeTarget => ({ baseUrl, apiId: KEY.id, apiSecret: KEY.secret });
      const [fromStandIn, fromMock] = await Promise.all([
        runProbes(target(standIn.url), liveProbes()),
        runProbes(target(mock.url), liveProbes()),
      ]);
      const seen = (outcomes: typeof fromMock) =>
        outcomes.map((o) => [
          o.probe.name,
          o.answer.kind === 'answered' ? o.answer.httpCode : 'none',
          o.answer.kind === 'answered' ? ((o.answer.body as { status?: string }).status ?? 'not JSON') : '',
          o.answer.kind === 'answered' ? (o.answer.body as { result?: { face_box?: number[] } }).result?.face_box : '',
        ]);
      expect(seen(fromMock)).toEqual(seen(fromStandIn));
    } finally {
      await mock.close();
    }
  });

  it('keeps the rest of a given config and its comments in the profile', async () => {
    const config = join(tempDir(), 'ci-mock.yaml');
    writeFileSync(config, '# our CI mock\nlatency: { ms: 0 }\ndecisions:\n  both-fields: reject\n');
    const result = await drift(standIn.url, ['--config', config]);
    expect(result.exitCode).toBe(1);
    const text = readFileSync(join(result.out, MOCK_PROFILE_FILE), 'utf8');
    expect(text).toContain('# our CI mock');
    expect(parse(text)).toEqual({ latency: { ms: 0 }, decisions: STAND_IN_DECISIONS });
  });

  it("rewrites the config's relative cassette paths so they resolve from where the profile is written", async () => {
    // The team's config in one directory with its cassette beside it; the reports in another, deeper one.
    const team = tempDir();
    const image = join(team, 'face.jpg');
    writeFileSync(image, makeJpeg({ width: 240, height: 200, seed: 21 }));
    const cassette = join(team, 'cassettes', 'vendor.yaml');
    const env = { ACCUAUTH_BASE_URL: standIn.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
    expect(
      (await runCommandInProcess('record', recordCommand, ['--images', image, '--out', cassette], env)).exitCode,
    ).toBe(0);
    // A recorded confidence no derived answer gives, so the replay is told apart from the mock's own answer.
    const recorded = parseCassette(readFileSync(cassette, 'utf8'));
    if (!recorded.ok) throw new Error(recorded.reason);
    const result = recorded.cassette.recordings[0]?.answer.body as { result: { confidence: number } };
    result.result.confidence = 0.123456;
    writeFileSync(cassette, serializeCassette(recorded.cassette));
    const config = join(team, 'ci-mock.yaml');
    writeFileSync(
      config,
      'keys:\n  - { id: local-ci, secret: local-ci-secret }\ncassettes:\n  - cassettes/vendor.yaml\n',
    );

    const out = join(tempDir(), 'nightly', 'report');
    const run = await runDriftCommand(['--out', out, '--config', config], env);
    expect(run.exitCode).toBe(1);
    const profilePath = join(out, MOCK_PROFILE_FILE);
    const profile = parse(readFileSync(profilePath, 'utf8')) as { cassettes: string[] };
    expect(profile.cassettes).toEqual([relative(out, cassette)]);
    // The profile works as its header says: the mock started from it replays the cassette.
    const mock = await startMock({ config: profilePath });
    try {
      const answer = expectAnswer(
        await callPredict(mock.url, {
          credentials: { 'x-df-api-id': 'local-ci', 'x-df-api-secret': 'local-ci-secret' },
          file: readFileSync(image),
        }),
        'OK',
      );
      expect(answer.result.confidence).toBe(0.123456);
    } finally {
      await mock.close();
    }
  });

  it('a config that does not validate is a usage error before any probe (exit 2)', async () => {
    const config = join(tempDir(), 'bad.yaml');
    writeFileSync(config, 'decisions:\n  both-fields: neither\n');
    const out = tempDir();
    const env = { ACCUAUTH_BASE_URL: standIn.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
    const { exitCode, stderr } = await runDriftCommand(['--out', out, '--config', config], env);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('decisions.both-fields must be one of file, image_base64, reject (--config)');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a vendor that accepts connections and never answers', () => {
  it('is judged "could not check" by the run deadline, each wait cut to what is left of it (exit 2, reports written)', async () => {
    const hanging = await startDriftedVendor({ upstream: standIn.url, kind: 'hanging' });
    const deadlineMs = 1500;
    try {
      // The default per-request timeout (15 s) is kept: only the deadline makes this run short.
      const out = tempDir();
      const env = { ACCUAUTH_BASE_URL: hanging.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
      const { exitCode } = await runDriftCommand(['--out', out, '--deadline-ms', String(deadlineMs)], env);
      expect(exitCode).toBe(2);
      expect(readdirSync(out).sort()).toEqual(Object.values(REPORT_FILES).sort());
      const report = JSON.parse(readFileSync(join(out, REPORT_FILES.json), 'utf8')) as DriftReport;
      expect(report.message).toMatch(/^could not check: none of the \d+ probes got an answer/);
      // No probe waited past the deadline: the first waited for (at most) all of it, the others for what was left
      // or were not sent. So the run's worst case is the deadline, whatever --timeout-ms says.
      const waits = report.probes.map((probe) => (probe.target.kind === 'no-answer' ? probe.target.message : ''));
      for (const wait of waits) {
        const ms = /^no answer within (\d+) ms$/.exec(wait)?.[1];
        if (ms === undefined) expect(wait).toBe("not sent: the run's deadline had passed");
        else expect(Number(ms)).toBeLessThanOrEqual(deadlineMs);
      }
      expect(waits.filter((wait) => wait.startsWith('not sent')).length).toBeGreaterThan(0);
    } finally {
      await hanging.close();
    }
  });

  it('with the default options the bound is 45 s of probing, which leaves the minute the nightly job allows', () => {
    // The run's worst case is the deadline (the test above shows no wait outlives it) plus the in-process
    // reference mock's start and the reports' writing, well under a second each.
    const defaults = driftCommand().opts() as { deadlineMs?: number };
    expect(defaults.deadlineMs).toBe(DEFAULT_DRIFT_DEADLINE_MS);
    expect(DEFAULT_DRIFT_DEADLINE_MS + 15_000).toBeLessThanOrEqual(60_000);
  });
});
