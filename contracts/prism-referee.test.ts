import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDriftedVendor } from '../test/support/drifted-vendor.js';
import { type MockProcess, startMockProcess } from '../test/support/mock-process.js';
import { type RunningPrism, startPrism } from '../test/support/prism.js';
import { describeAnswer } from './conformance/describe-answer.js';
import { statusOf } from './conformance/judge-answer.js';
import { type ProbeOutcome, type ProbeTarget, runProbe } from './conformance/run-probes.js';
import { type Probe, probeCatalogue } from './probes/probe-catalogue.js';
import {
  type PrismVerdict,
  prismVerdict,
  statusPrismRefusalStandsFor,
  survivesPrismProxy,
} from './referee/prism-verdict.js';
import { type RecordingTap, send, startRecordingTap } from './referee/recording-tap.js';

/**
 * The independent referee: Prism, as a validating proxy with --errors, stands in front of our mock (run as a
 * separate process, as in the conformance suite) while the whole probe catalogue goes through it. Prism reads the
 * same spec with its own validator, so a response our ajv validators wrongly let through is caught here.
 *
 * A recording tap between Prism and the mock tells, for each probe, whether Prism forwarded the request and which
 * bytes it sent; a marker request after each probe closes that probe's slice of Prism's log.
 */
const MOCK_KEY = { id: 'prism-referee-id', secret: 'prism-referee-secret' };
const GUARD = fileURLToPath(new URL('./referee/loopback-guard.cjs', import.meta.url));
// Prism reads a 5 MiB body as text and validates it before forwarding: seconds, not milliseconds.
const THROUGH_PRISM_TIMEOUT_MS = 20_000;

interface Observation {
  probe: Probe;
  direct: ProbeOutcome;
  throughPrism: ProbeOutcome;
  verdict: PrismVerdict;
  /** Prism's log for this probe alone. */
  log: string;
  /** For a forwarded body Prism altered: the mock's answer to the bytes Prism actually sent, `HTTP <code> <status>`. */
  answerToForwardedBytes?: string;
}

const probes = probeCatalogue();
const observations = new Map<string, Observation>();
let mock: MockProcess | undefined;
let tap: RecordingTap | undefined;
let prism: RunningPrism | undefined;
let configDir: string | undefined;
let markers = 0;

function targets(): { direct: ProbeTarget; throughPrism: ProbeTarget } {
  if (!mock || !prism) throw new Error('the mock or Prism did not start');
  return {
    direct: { baseUrl: mock.url, apiId: MOCK_KEY.id, apiSecret: MOCK_KEY.secret },
    throughPrism: {
      baseUrl: prism.url,
      apiId: MOCK_KEY.id,
      apiSecret: MOCK_KEY.secret,
      timeoutMs: THROUGH_PRISM_TIMEOUT_MS,
    },
  };
}

/**
 * Sends one probe through Prism and returns its verdict with the log lines it wrote for that probe. Prism logs a
 * request's violations before it answers, but its stdout and its answer reach us by different pipes; a marker
 * request that Prism's router refuses, sent after the answer, is logged after them, so once its line is in, the
 * probe's slice is complete.
 */
async function throughPrism(probe: Probe): Promise<
  Pick<Observation, 'throughPrism' | 'verdict' | 'log'> & {
    forwardedBytes: Parameters<typeof send>[0] | undefined;
  }
> {
  if (!prism || !tap) throw new Error('Prism did not start');
  const logStart = prism.output().length;
  const tapStart = tap.forwarded().length;
  const outcome = await runProbe(targets().throughPrism, probe);
  const marker = `/__referee/after/${++markers}`;
  await fetch(new URL(marker, prism.url));
  await prism.waitForOutput(new RegExp(`get ${marker} .*Request terminated`));
  const log = prism.output().slice(logStart);
  const forwarded = tap.forwarded().slice(tapStart);
  if (forwarded.length > 1) throw new Error(`${probe.name}: Prism forwarded ${forwarded.length} requests for one`);
  return {
    throughPrism: outcome,
    verdict: prismVerdict(outcome.answer, log, forwarded.length === 1),
    log,
    forwardedBytes: forwarded[0],
  };
}

function describeBytes(answer: { httpCode: number; body: Buffer }): string {
  let status: string | undefined;
  try {
    status = statusOf(JSON.parse(answer.body.toString('utf8')));
  } catch {
    status = '(not JSON)';
  }
  return `HTTP ${answer.httpCode} ${status ?? '(no status)'}`;
}

function describeVerdict(verdict: PrismVerdict): string {
  switch (verdict.kind) {
    case 'refused':
      return `refused: ${verdict.httpCode} ${verdict.refusal} (${verdict.detail})`;
    case 'forwarded': {
      const flagged = [...verdict.requestViolations, ...verdict.responseViolations];
      return `forwarded${flagged.length > 0 ? `; violations: ${flagged.join('; ')}` : ''}`;
    }
    case 'unexplained':
      return `unexplained: ${verdict.description}`;
  }
}

beforeAll(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'accuauth-referee-'));
  const config = join(configDir, 'mock-config.json');
  writeFileSync(config, JSON.stringify({ keys: [MOCK_KEY] }));
  mock = await startMockProcess({ config });
  tap = await startRecordingTap(mock.url);
  // Prism needs nothing but its upstream, the tap on loopback; the guard makes any other connection fail loudly.
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${GUARD}`].filter(Boolean).join(' ');
  prism = await startPrism({
    mode: 'proxy',
    upstream: tap.url,
    errors: true,
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });

  for (const probe of probes) {
    const direct = await runProbe(targets().direct, probe);
    const { forwardedBytes, ...seen } = await throughPrism(probe);
    const observation: Observation = { probe, direct, ...seen };
    if (forwardedBytes && !survivesPrismProxy(probe.request.body)) {
      observation.answerToForwardedBytes = describeBytes(await send(forwardedBytes, mock.url));
    }
    observations.set(probe.name, observation);
  }
}, 120_000);

// The empirical record of what Prism did with each probe (28 rows): printed when a test of this file failed, where
// it helps to see the failing probe among the others; a green run stays quiet.
let anyFailed = false;
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    anyFailed = true;
  });
});

afterAll(async () => {
  if (anyFailed) printObservations();
  await prism?.stop();
  await tap?.close();
  await mock?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

function printObservations(): void {
  console.table(
    [...observations.values()].map((o) => ({
      probe: o.probe.name,
      direct: describeAnswer(o.direct.answer),
      'through Prism': describeAnswer(o.throughPrism.answer),
      'mock, to the bytes Prism forwarded': o.answerToForwardedBytes ?? '(same bytes as the probe)',
      verdict: describeVerdict(o.verdict).slice(0, 70),
    })),
  );
}

function observed(name: string): Observation {
  const observation = observations.get(name);
  if (!observation) throw new Error(`${name} was not sent through Prism`);
  return observation;
}

describe('Prism as an independent referee of the mock, the whole probe catalogue through it', () => {
  for (const probe of probes) {
    it(`${probe.name}: no response violation, and Prism's verdict on the request agrees with the catalogue`, () => {
      const { direct, throughPrism, verdict, log, answerToForwardedBytes } = observed(probe.name);
      const context = `${probe.name} through Prism: ${describeVerdict(verdict)}\nPrism's log for it:\n${log}`;
      expect(verdict.kind, context).not.toBe('unexplained');
      // A request the spec answers with 200 is one the spec allows: Prism must pass it to the mock unflagged.
      if (probe.expected.some((expected) => expected.status === 'OK')) {
        expect(verdict, context).toMatchObject({ kind: 'forwarded', requestViolations: [] });
      }

      if (verdict.kind === 'refused') {
        // Prism found the request off-spec; the catalogue must expect the refusal our spec gives such a request.
        const refusalMeans = statusPrismRefusalStandsFor(verdict.refusal);
        expect(
          probe.expected.map((expected) => expected.status),
          context,
        ).toEqual(probe.expected.map(() => refusalMeans));
        return;
      }
      if (verdict.kind !== 'forwarded') return;
      expect(verdict.responseViolations, context).toEqual([]);
      if (verdict.requestViolations.length > 0) {
        // Forwarded but flagged: an off-spec request, which no probe may expect to be accepted.
        expect(
          probe.expected.filter((expected) => expected.status === 'OK'),
          context,
        ).toEqual([]);
        return;
      }
      // A request the spec allows: the mock's answer passes through Prism unchanged and within the spec.
      expect(throughPrism.specProblems, context).toEqual([]);
      if (survivesPrismProxy(probe.request.body)) {
        expect(describeAnswer(throughPrism.answer), context).toBe(describeAnswer(direct.answer));
      } else {
        // Prism forwarded other bytes than the probe's (see survivesPrismProxy): what it passes back must be the
        // mock's answer to those bytes.
        expect(describeAnswer(throughPrism.answer), context).toBe(answerToForwardedBytes);
      }
    });
  }

  it('judged both kinds of request, and Prism never tried to leave loopback', () => {
    const verdicts = [...observations.values()].map((observation) => observation.verdict.kind);
    expect(verdicts.filter((kind) => kind === 'forwarded').length).toBeGreaterThan(0);
    expect(verdicts.filter((kind) => kind === 'refused').length).toBeGreaterThan(0);
    expect(prism?.output()).toMatch(/loopback guard: active in process \d+/);
    expect(prism?.output()).not.toContain('loopback guard: refused');
  });
});

describe('the referee can fail', () => {
  // A probe the mock answers 200 and Prism forwards intact: the richest answer to tamper with.
  const accepted = () => {
    const found = [...observations.values()].find(
      (o) =>
        o.verdict.kind === 'forwarded' &&
        o.direct.answer.kind === 'answered' &&
        statusOf(o.direct.answer.body) === 'OK' &&
        survivesPrismProxy(o.probe.request.body),
    );
    if (!found) throw new Error('no probe was answered OK through Prism');
    return found.probe;
  };

  it.each(['extra-field', 'changed-type'] as const)(
    'an upstream that answers off the spec (%s) is a response violation',
    async (kind) => {
      if (!tap || !mock) throw new Error('the tap did not start');
      const drifted = await startDriftedVendor({ upstream: mock.url, kind });
      tap.pointAt(drifted.url);
      try {
        const { verdict, throughPrism: outcome, log } = await throughPrism(accepted());
        expect(verdict.kind, log).toBe('forwarded');
        expect(verdict.kind === 'forwarded' ? verdict.responseViolations : [], log).not.toEqual([]);
        // With --errors Prism replaces the off-spec answer with its own 500 problem.
        expect(describeAnswer(outcome.answer)).toBe('HTTP 500 (no status)');
      } finally {
        tap.pointAt(mock.url);
        await drifted.close();
      }
    },
  );

  it('the loopback guard Prism runs under refuses any other host', async () => {
    // 0.0.0.0 would reach this very machine if the guard let it through, so the check itself stays local.
    const script = "require('node:net').connect(9, '0.0.0.0').on('error', () => {});";
    const { stderr } = await promisify(execFile)(process.execPath, ['--require', GUARD, '-e', script]);
    expect(stderr).toContain('loopback guard: refused a connection to 0.0.0.0:9');
  });
});
