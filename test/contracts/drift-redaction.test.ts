import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockReference } from '../../cli/drift-command.js';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import { runDrift } from '../../contracts/drift/run-drift.js';
import { probeCatalogue } from '../../contracts/probes/probe-catalogue.js';
import { startMock } from '../../mock/index.js';
import { REDACTED } from '../../src/secret-redaction.js';
import { type DriftKind, startDriftedVendor } from '../support/drifted-vendor.js';

// Redaction must neither mangle a report (a short id `y` used to turn `json-body` into `json-bod[REDACTED]`) nor
// let a secret through (a long or regex-special secret echoed by the vendor).
// json-body is no longer live-safe (the live set makes room for a probe per decision); it is sent here all the same.
const PROBES = probeCatalogue().filter((probe) => ['jpeg-file', 'json-body', 'no-credentials'].includes(probe.name));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function reportsOf(key: { id: string; secret: string }, kind: DriftKind): Promise<string> {
  const upstream = await startMock({ port: 0, config: { keys: [{ id: key.id, secret: key.secret }] } });
  const standIn = await startDriftedVendor({ upstream: upstream.url, kind });
  const outDir = mkdtempSync(join(tmpdir(), 'accuauth-redaction-'));
  dirs.push(outDir);
  try {
    const result = await runDrift({
      target: { baseUrl: standIn.url, apiId: key.id, apiSecret: key.secret },
      outDir,
      probes: PROBES,
      startReference: startMockReference,
    });
    const files = readdirSync(outDir).map((name) => readFileSync(join(outDir, name), 'utf8'));
    expect(files).toHaveLength(Object.keys(REPORT_FILES).length);
    return [...files, result.summary, result.message].join('\n');
  } finally {
    await standIn.close();
    await upstream.close();
  }
}

describe('drift reports and redaction', () => {
  it('a short id and secret leave the report readable (no "json-bod[REDACTED]", no "e[REDACTED]pected")', async () => {
    const text = await reportsOf({ id: 'y', secret: 'e' }, 'missing-field');
    expect(text).toContain('result.beard missing');
    expect(text).toContain('json-body');
    expect(text).not.toContain(REDACTED);
  });

  for (const secret of ['long-secret-0123456789abcdef', 's3cr.t+(x)*[y]$^|']) {
    it(`a vendor echoing the secret ${JSON.stringify(secret)} gets it into no report`, async () => {
      const text = await reportsOf({ id: 'redaction-test-id', secret }, 'refuses-key');
      expect(text).not.toContain(secret);
      expect(text).toContain(`invalid API key ${REDACTED}`);
    });
  }
});
