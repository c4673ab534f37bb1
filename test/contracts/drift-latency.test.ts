import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockReference } from '../../cli/drift-command.js';
import type { FindingClass } from '../../contracts/drift/finding-class.js';
import { LATENCY_ENTRY } from '../../contracts/drift/latency-drift.js';
import { type DriftResult, runDrift } from '../../contracts/drift/run-drift.js';
import { liveProbes } from '../../contracts/probes/probe-catalogue.js';
import { runDriftCommand } from '../support/drift-command-run.js';
import { type DriftedVendor, startDriftedVendor } from '../support/drifted-vendor.js';
import { useMock } from '../support/mock-server.js';
import { nightAt, type SyntheticAnswer, writeSyntheticNight } from '../support/synthetic-drift-history.js';

const KEY = { id: 'latency-test-id', secret: 'latency-test-secret-5d2e8b' };
// One probe of each kind of answer (200, 400, 401, 404): the latency entry summarises whatever was answered.
const PROBES = liveProbes().filter((probe) =>
  ['jpeg-file', 'no-image', 'no-credentials', 'unknown-path'].includes(probe.name),
);
/** The stand-in's delay on its slow night: far above the synthetic history's p95 of 40 ms on any machine. */
const SLOW_MS = 400;

const upstream = useMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } }, { shared: true });
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-drift-latency-'));
  dirs.push(dir);
  return dir;
}

/** Five earlier nights of `target`, twenty answers each (with calmNights: ten of 10 ms, ten of 40 ms, so p95 40 ms). */
function historyOf(target: string, latencyMs: (index: number) => number): string {
  const dir = tempDir();
  for (let night = 0; night < 5; night += 1) {
    const answers = Array.from(
      { length: 20 },
      (_, index): SyntheticAnswer => ({ latencyMs: latencyMs(index), status: 'OK' }),
    );
    writeSyntheticNight(dir, { checkedAt: nightAt(night), target, answers });
  }
  return dir;
}
const calmNights = (index: number) => (index < 10 ? 10 : 40);

async function withStandIn<T>(kind: 'sluggish' | 'faithful', run: (standIn: DriftedVendor) => Promise<T>): Promise<T> {
  const standIn = await startDriftedVendor({ upstream: upstream.url, kind, slowMs: SLOW_MS });
  try {
    return await run(standIn);
  } finally {
    await standIn.close();
  }
}

function drift(
  baseUrl: string,
  historyDir: string,
  extra: { failOn?: FindingClass[]; latencyTolerance?: number } = {},
) {
  return runDrift({
    target: { baseUrl, apiId: KEY.id, apiSecret: KEY.secret },
    outDir: tempDir(),
    historyDir,
    probes: PROBES,
    startReference: startMockReference,
    ...extra,
  });
}

function latencyEntry(result: DriftResult) {
  return result.report.probes.find((probe) => probe.probe === LATENCY_ENTRY);
}

describe('drift: the latency finding class', () => {
  it("a vendor slower than the history's median p95 by more than 50% is a latency finding, not set to fail by default", async () => {
    await withStandIn('sluggish', async (standIn) => {
      const result = await drift(standIn.url, historyOf(standIn.url, calmNights));
      const entry = latencyEntry(result);
      expect(entry?.classedFindings).toEqual([
        {
          class: 'latency',
          finding: expect.stringMatching(
            /^p95 \d+ ms over 4 answered probes; the median p95 of 5 earlier nights is 40 ms: slower by \d+%, beyond --latency-tolerance 0\.5 \(50%\)/,
          ),
        },
      ]);
      // Only the latency entry: the stand-in answers as the mock does, just late.
      expect(result.report.probes.filter((probe) => probe.findings.length > 0).map((probe) => probe.probe)).toEqual([
        LATENCY_ENTRY,
      ]);
      expect(result.exitCode).toBe(0);
      expect(result.report.verdict).toBe('drift found, not set to fail');
      expect(result.message).toMatch(
        /1 latency findings.*; latency findings are not set to fail \(--fail-on contract,decision,behaviour\)$/,
      );
      expect(result.summary).toContain('latency');
      // The JSON report counts it for the next night's plot, and does not count the entry as a probe's latency.
      const report = JSON.parse(readFileSync(join(result.files.find((f) => f.endsWith('.json')) ?? '', ''), 'utf8'));
      expect(report.probes.find((p: { probe: string }) => p.probe === LATENCY_ENTRY).latencyMs).toBeNull();
    });
  });

  it('--fail-on latency makes it exit 1; a wider --latency-tolerance accepts the same night', async () => {
    await withStandIn('sluggish', async (standIn) => {
      const history = historyOf(standIn.url, calmNights);
      const failing = await drift(standIn.url, history, { failOn: ['latency'] });
      expect(failing.exitCode).toBe(1);
      expect(failing.report.verdict).toBe('drift found');
      const tolerant = await drift(standIn.url, history, { latencyTolerance: 1000 });
      expect(latencyEntry(tolerant)?.findings).toEqual([]);
      expect(tolerant.report.verdict).toBe('no drift');
    });
  });

  it('a vendor much faster than its history is a finding too (a cache, a region change: timeouts set for it lie)', async () => {
    await withStandIn('faithful', async (standIn) => {
      const result = await drift(
        standIn.url,
        historyOf(standIn.url, () => 20_000),
      );
      expect(latencyEntry(result)?.findings).toEqual([
        expect.stringMatching(/the median p95 of 5 earlier nights is 20000 ms: faster by \d+%/),
      ]);
    });
  });

  it('no history of this target: nothing to compare, no latency entry', async () => {
    await withStandIn('sluggish', async (standIn) => {
      const result = await drift(standIn.url, historyOf('https://staging.example', calmNights));
      expect(latencyEntry(result)).toBeUndefined();
      expect(result.report.verdict).toBe('no drift');
    });
  });

  it('the CLI refuses a tolerance that is not a number of 0 or more, as a usage error', async () => {
    await expect(runDriftCommand(['--latency-tolerance', '-1'])).rejects.toThrow(/must be a number of 0 or more/);
    await expect(runDriftCommand(['--fail-on', 'latency,vibes'])).rejects.toThrow(
      /unknown class vibes; name one or more of contract, decision, behaviour, latency/,
    );
  });
});
