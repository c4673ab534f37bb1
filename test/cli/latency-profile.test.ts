import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { latencyProfileCommand } from '../../cli/latency-profile-command.js';
import { checkMockConfig, parseMockConfigText } from '../../mock/core/config/load-mock-config.js';
import type { LatencyConfig } from '../../mock/core/config/mock-config.js';
import { latencyOf } from '../../mock/core/stages/faults.js';
import { createInMemoryState } from '../../mock/core/state/in-memory-state.js';
import { startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { runCommandInProcess } from '../support/drift-command-run.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';
import { nightAt, type SyntheticAnswer, writeSyntheticNight } from '../support/synthetic-drift-history.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-latency-profile-'));
  dirs.push(dir);
  return dir;
}

const VENDOR = 'https://cloudapi.accuauth.in';

/**
 * A synthetic history whose quantiles are known without computing them: the OK answers over ten nights are exactly
 * 0..1000 ms (1001 answers: p50 500, p95 950, p99 990, max 1000), the UNAUTHORIZED ones exactly 0..100 ms; two
 * DOWNLOAD_ERROR answers are too few for their own distribution. A night that could not check (an outage of 15 s
 * answers) and a night of a staging host must be left out, or the quantiles move.
 */
function syntheticHistory(): string {
  const dir = tempDir();
  const ok = Array.from({ length: 1001 }, (_, ms): SyntheticAnswer => ({ latencyMs: ms, status: 'OK' }));
  const refused = Array.from({ length: 101 }, (_, ms): SyntheticAnswer => ({ latencyMs: ms, status: 'UNAUTHORIZED' }));
  // Shuffled across the nights deterministically, so no night holds a tidy slice.
  const all = [...ok, ...refused].map((answer, index) => ({ answer, key: (index * 7919) % 1102 }));
  all.sort((a, b) => a.key - b.key);
  for (let night = 0; night < 10; night += 1) {
    const answers = all.filter((_, index) => index % 10 === night).map((entry) => entry.answer);
    if (night === 3)
      answers.push({ latencyMs: 500, status: 'DOWNLOAD_ERROR' }, { latencyMs: 500, status: 'DOWNLOAD_ERROR' });
    writeSyntheticNight(dir, { checkedAt: nightAt(night), target: VENDOR, answers });
  }
  const outage = Array.from(
    { length: 20 },
    (): SyntheticAnswer => ({ latencyMs: 15_000, status: 'INTERNAL_ERROR', httpCode: 500 }),
  );
  writeSyntheticNight(dir, { checkedAt: nightAt(10), target: VENDOR, exitCode: 2, answers: outage });
  writeSyntheticNight(dir, { checkedAt: nightAt(11), target: 'https://staging.example', answers: outage });
  // The latest night is the vendor's again, so the default target is the vendor.
  writeSyntheticNight(dir, { checkedAt: nightAt(12), target: VENDOR, answers: [] });
  return dir;
}

async function fitProfile(history: string): Promise<{ file: string; stderr: string; exitCode: number | undefined }> {
  const file = join(tempDir(), 'profiles', 'latency.yaml');
  const run = await runCommandInProcess('latency-profile', latencyProfileCommand, [
    '--history',
    history,
    '--out',
    file,
  ]);
  return { file, stderr: run.stderr, exitCode: run.exitCode };
}

/** `count` delays drawn through the mock's own latency stage, from a fresh state seeded `seed`. */
async function samples(latency: LatencyConfig, seed: number, count: number, status?: string): Promise<number[]> {
  const state = createInMemoryState({ latency, seed, journalLimit: 0 });
  const drawn: number[] = [];
  for (let index = 0; index < count; index += 1) drawn.push(await latencyOf(latency, state, status));
  return drawn;
}

/** The nearest-rank quantile of a sample: an estimator of its own, not the fitter's interpolation. */
function sampleQuantile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

describe('accuauth-kit latency-profile', () => {
  it("fits the history's answers, per status where there are enough, into a config the mock loads", async () => {
    const { file, stderr, exitCode } = await fitProfile(syntheticHistory());
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/skipped drift-report-2025-03-11\S*: the check could not run that night/);
    expect(stderr).toMatch(/skipped drift-report-2025-03-12\S*: checked another target \(https:\/\/staging\.example\)/);
    expect(stderr).toMatch(
      /wrote .*latency\.yaml from 1104 answers over 10 nights of https:\/\/cloudapi\.accuauth\.in/,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# accuauth-kit latency profile of https:\/\/cloudapi\.accuauth\.in/);
    const checked = parseMockConfigText(file, text);
    if (!checked.ok) throw new Error(checked.reason);
    const latency = checked.config.latency as Extract<LatencyConfig, { distribution: unknown }>;
    expect(latency.byStatus).toEqual({
      OK: { min: 0, p50: 500, p95: 950, p99: 990, max: 1000 },
      UNAUTHORIZED: { min: 0, p50: 50, p95: 95, p99: 99, max: 100 },
    });
    // Overall: every answer of the ten nights, the two DOWNLOAD_ERRORs included, the outage and staging not.
    expect(latency.distribution.max).toBe(1000);
    expect(latency.distribution.p99).toBeLessThan(1000);
  });

  it('10,000 seeded samples through the mock path fall within 5% of the profile, the same for the same seed', async () => {
    const { file } = await fitProfile(syntheticHistory());
    const latency = parse(readFileSync(file, 'utf8')).latency as Extract<LatencyConfig, { distribution: unknown }>;
    for (const [status, profile] of [
      [undefined, latency.distribution],
      ['OK', latency.byStatus?.OK],
      ['UNAUTHORIZED', latency.byStatus?.UNAUTHORIZED],
    ] as const) {
      if (!profile) throw new Error(`no profile for ${status}`);
      const drawn = await samples(latency, 42, 10_000, status);
      for (const [fraction, key] of [
        [0.5, 'p50'],
        [0.95, 'p95'],
        [0.99, 'p99'],
      ] as const) {
        const want = profile[key];
        expect(Math.abs(sampleQuantile(drawn, fraction) - want), `${status ?? 'overall'} ${key}`).toBeLessThanOrEqual(
          want * 0.05,
        );
      }
      expect(Math.max(...drawn)).toBeLessThanOrEqual(profile.max);
      expect(Math.min(...drawn)).toBeGreaterThanOrEqual(profile.min ?? 0);
    }
    expect(await samples(latency, 42, 200)).toEqual(await samples(latency, 42, 200));
    expect(await samples(latency, 43, 200)).not.toEqual(await samples(latency, 42, 200));
  });

  it('a status with no distribution of its own takes the overall one', async () => {
    const latency: LatencyConfig = {
      distribution: { p50: 10, p95: 10, p99: 10, max: 10, min: 10 },
      byStatus: { OK: { min: 300, p50: 300, p95: 300, p99: 300, max: 300 } },
    };
    expect(await samples(latency, 1, 5, 'OK')).toEqual([300, 300, 300, 300, 300]);
    expect(await samples(latency, 1, 5, 'DETECTION_FAILED')).toEqual([10, 10, 10, 10, 10]);
  });

  it('a started mock delays each answer by its status distribution, reproducibly with its seed', async () => {
    const latency: LatencyConfig = {
      distribution: { min: 5, p50: 10, p95: 20, p99: 30, max: 40 },
      byStatus: { UNAUTHORIZED: { min: 0, p50: 1, p95: 2, p99: 3, max: 4 } },
    };
    const image = makeJpeg({ width: 200, height: 200 });
    const journals: unknown[] = [];
    for (let run = 0; run < 2; run += 1) {
      const mock = await startMock({ port: 0, config: { latency, seed: 7 } });
      try {
        for (let call = 0; call < 4; call += 1)
          expect((await callPredict(mock.url, { file: image })).httpCode).toBe(200);
        expect((await callPredict(mock.url, { file: image, credentials: false })).httpCode).toBe(401);
        const entries = (await admin(mock.url, 'GET', '/requests')).body as {
          requests: { status: string; latencyMs: number }[];
        };
        journals.push(entries.requests.map((entry) => [entry.status, entry.latencyMs]));
      } finally {
        await mock.close();
      }
    }
    const [first, second] = journals as [[string, number][], [string, number][]];
    expect(second).toEqual(first);
    expect(first.map(([status]) => status).sort()).toEqual(['OK', 'OK', 'OK', 'OK', 'UNAUTHORIZED']);
    for (const [status, ms] of first) {
      if (status === 'OK') expect(ms).toBeGreaterThanOrEqual(5);
      else expect(ms).toBeLessThanOrEqual(4);
    }
  });

  it('refuses what the mock could not sample, naming the field', () => {
    const wrongOrder = checkMockConfig({ latency: { distribution: { p50: 100, p95: 90, p99: 120, max: 130 } } });
    expect(wrongOrder).toEqual({
      ok: false,
      reason: 'latency.distribution.p95 (90) must not be smaller than p50 (100)',
    });
    const typo = checkMockConfig({
      latency: {
        distribution: { p50: 1, p95: 2, p99: 3, max: 4 },
        byStatus: { DETECTED_FAILED: { p50: 1, p95: 2, p99: 3, max: 4 } },
      },
    });
    expect(typo).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^latency\.byStatus\.DETECTED_FAILED is not a status value of the spec; use one of OK, /,
      ),
    });
    const missing = checkMockConfig({ latency: { distribution: { p50: 1, p95: 2, max: 4 } } });
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/^latency/) });
  });

  it('an empty history is exit 2 and writes nothing', async () => {
    const { file, stderr, exitCode } = await fitProfile(tempDir());
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/the history holds no drift report .*nothing written/);
    expect(() => readFileSync(file)).toThrow();
  });
});
