import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockReference } from '../../cli/drift-command.js';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import type { DriftReport } from '../../contracts/drift/drift-report-types.js';
import { runDrift } from '../../contracts/drift/run-drift.js';
import { liveProbes } from '../../contracts/probes/probe-catalogue.js';
import { unusedPort } from '../support/free-port.js';

// An unreachable vendor is one outage, not one drift per probe: every report says "could not check" once.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('drift against an unreachable target', () => {
  it('is one finding in the JSON, the Markdown and the JUnit report, exit 2', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'accuauth-outage-'));
    dirs.push(outDir);
    const probes = liveProbes().filter((probe) => probe.name !== 'file-over-size-limit');
    const result = await runDrift({
      target: { baseUrl: `http://127.0.0.1:${await unusedPort()}`, apiId: 'outage-id', apiSecret: 'outage-secret' },
      outDir,
      probes,
      startReference: startMockReference,
    });
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(/^could not check: none of the \d+ probes got an answer/);

    const json = JSON.parse(readFileSync(join(outDir, REPORT_FILES.json), 'utf8')) as DriftReport;
    expect(json.probes.length).toBeGreaterThan(1);
    expect(json.probes.flatMap((probe) => probe.findings)).toEqual([]);

    const markdown = readFileSync(join(outDir, REPORT_FILES.summary), 'utf8');
    expect(markdown).not.toContain('### Drift');
    expect(markdown.match(/could not check: none of/g)).toHaveLength(1);
    expect(markdown).not.toMatch(/\| yes \|/);

    const junit = readFileSync(join(outDir, REPORT_FILES.junit), 'utf8');
    expect(junit).toContain('failures="0"');
    expect(junit).toContain('errors="1"');
    expect(junit.match(/<error/g)).toHaveLength(1);
    expect(junit.match(/<failure/g)).toBeNull();
  });
});
