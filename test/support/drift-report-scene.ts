import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockReference } from '../../cli/drift-command.js';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import { type DriftResult, runDrift } from '../../contracts/drift/run-drift.js';
import { liveProbes } from '../../contracts/probes/probe-catalogue.js';
import { startMock } from '../../mock/index.js';
import { type DriftKind, startDriftedVendor } from './drifted-vendor.js';

/**
 * A drift report as a person finds it after a week of nights, built for real: the mock on loopback as the vendor's
 * upstream, drifted stand-ins in front of it, one drift run per night (each report's date moved back to its night),
 * a history directory with a broken and a foreign file in it, and tonight's run with --history. The browser test
 * and the script that writes docs/drift-report.png share it.
 */
export const SCENE_KEY = { id: 'scene-id', secret: 'scene-secret-5d1e0b' };

/** One probe of each kind of answer (200, 400, 401, 404), as in test/contracts/drift.test.ts: enough to drift, and fast. */
const SCENE_PROBES = liveProbes().filter((probe) =>
  [
    'jpeg-file',
    'base64-urlencoded',
    'no-image',
    'non-image-file',
    'no-credentials',
    'unknown-path',
    'wrong-method',
  ].includes(probe.name),
);

/** The earlier nights, oldest first: what each night's vendor did. */
const EARLIER_NIGHTS: DriftKind[] = ['faithful', 'faithful', 'extra-field', 'down', 'changed-code'];
/** Tonight's vendor sends a gateway's HTML page for unknown paths: findings whose bodies are markup. */
export const TONIGHT: DriftKind = 'html-error';

export interface DriftReportScene {
  dir: string;
  historyDir: string;
  outDir: string;
  htmlPath: string;
  tonight: DriftResult;
  close(): Promise<void>;
}

export async function buildDriftReportScene(): Promise<DriftReportScene> {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-drift-scene-'));
  const historyDir = join(dir, 'history');
  const outDir = join(dir, 'out');
  mkdirSync(historyDir);
  const upstream = await startMock({ port: 0, config: { keys: [{ id: SCENE_KEY.id, secret: SCENE_KEY.secret }] } });
  // Tonight's stand-in starts first: the nights before were checked against the same vendor URL, so the earlier
  // reports are given its address (the report plots only nights of the same target).
  const tonightVendor = await startDriftedVendor({ upstream: upstream.url, kind: TONIGHT });
  try {
    const check = (baseUrl: string, out: string, history?: string) =>
      runDrift({
        target: { baseUrl, apiId: SCENE_KEY.id, apiSecret: SCENE_KEY.secret },
        outDir: out,
        historyDir: history,
        timeoutMs: 10_000,
        probes: SCENE_PROBES,
        startReference: startMockReference,
      });
    const now = Date.now();
    for (const [index, kind] of EARLIER_NIGHTS.entries()) {
      const out = join(dir, `night-${index}`);
      const standIn = await startDriftedVendor({ upstream: upstream.url, kind });
      try {
        await check(standIn.url, out);
      } finally {
        await standIn.close();
      }
      const report = JSON.parse(readFileSync(join(out, REPORT_FILES.json), 'utf8')) as Record<string, unknown>;
      const checkedAt = new Date(now - (EARLIER_NIGHTS.length - index) * 86_400_000).toISOString();
      writeFileSync(
        join(historyDir, `drift-report-${checkedAt.slice(0, 10)}.json`),
        JSON.stringify({ ...report, checkedAt, target: tonightVendor.url }),
      );
    }
    writeFileSync(join(historyDir, 'half-written.json'), '{"checkedAt": "2025-');
    writeFileSync(join(historyDir, 'package.json'), JSON.stringify({ name: 'something-else', version: '1.0.0' }));
    const tonight = await check(tonightVendor.url, outDir, historyDir);
    return {
      dir,
      historyDir,
      outDir,
      htmlPath: join(outDir, REPORT_FILES.html),
      tonight,
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await tonightVendor.close();
    await upstream.close();
  }
}
