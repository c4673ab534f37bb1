import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockReference } from '../../cli/drift-command.js';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import { type DriftResult, runDrift } from '../../contracts/drift/run-drift.js';
import { liveProbes } from '../../contracts/probes/probe-catalogue.js';
import { startMock } from '../../mock/index.js';
import { REDACTED } from '../../src/secret-redaction.js';
import { type DriftedVendor, type DriftKind, startDriftedVendor } from '../support/drifted-vendor.js';
import { useMock } from '../support/mock-server.js';

// The key both the upstream mock behind the stand-ins and the drift check's own mock accept. The secret is
// distinctive so that finding it in a report file cannot be a coincidence.
const KEY = { id: 'drift-test-id', secret: 'drift-test-secret-7f3a9c' };
// The faithful runs send every live probe but the 5 MiB upload (the slowest, and it tells these tests nothing the
// others do not); the drifted runs send one probe of each kind of answer (200, 400, 401, 404), to stay fast.
const ALL_PROBES = liveProbes().filter((probe) => probe.name !== 'file-over-size-limit');
const ONE_OF_EACH = [
  'jpeg-file',
  'base64-urlencoded',
  'no-image',
  'non-image-file',
  'json-body',
  'no-credentials',
  'wrong-credentials',
  'unknown-path',
  'wrong-method',
];
const PROBES = ALL_PROBES.filter((probe) => ONE_OF_EACH.includes(probe.name));

const upstream = useMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } });
const reportDirs: string[] = [];

afterAll(async () => {
  for (const dir of reportDirs) rmSync(dir, { recursive: true, force: true });
});

async function driftAgainst(
  baseUrl: string,
  timeoutMs = 5000,
  probes = PROBES,
): Promise<DriftResult & { outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'accuauth-drift-'));
  reportDirs.push(outDir);
  const result = await runDrift({
    target: { baseUrl, apiId: KEY.id, apiSecret: KEY.secret },
    outDir,
    timeoutMs,
    probes,
    startReference: startMockReference,
  });
  return { ...result, outDir };
}

async function withStandIn<T>(
  kind: DriftKind,
  run: (standIn: DriftedVendor) => Promise<T>,
  slowMs?: number,
): Promise<T> {
  const standIn = await startDriftedVendor({ upstream: upstream.url, kind, ...(slowMs ? { slowMs } : {}) });
  try {
    return await run(standIn);
  } finally {
    await standIn.close();
  }
}

function findingsOf(result: DriftResult): Record<string, string[]> {
  return Object.fromEntries(
    result.report.probes.filter((p) => p.findings.length > 0).map((p) => [p.probe, p.findings]),
  );
}

/** The probes the mock answered with `httpCode`: the ones a stand-in altering those answers must drift on. */
function probesAnswered(result: DriftResult, httpCode: number): string[] {
  return result.report.probes
    .filter((p) => p.mock?.kind === 'answered' && p.mock.httpCode === httpCode)
    .map((p) => p.probe);
}

function reportFiles(outDir: string): string[] {
  return readdirSync(outDir).map((name) => readFileSync(join(outDir, name), 'utf8'));
}

describe('the drift check against faithful targets', () => {
  it('reports no drift, exit 0, against the mock itself', async () => {
    const result = await driftAgainst(upstream.url);
    expect(findingsOf(result)).toEqual({});
    expect(result.report.probes.flatMap((p) => p.mockProblems)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.message).toMatch(/^no drift: .* answered all \d+ probes as the spec and the mock do/);
  });

  it('reports no drift, exit 0, through a proxy that changes nothing, and writes the three reports', async () => {
    const result = await withStandIn('faithful', (standIn) => driftAgainst(standIn.url, 5000, ALL_PROBES));
    expect(findingsOf(result)).toEqual({});
    expect(result.exitCode).toBe(0);
    expect(readdirSync(result.outDir).sort()).toEqual(Object.values(REPORT_FILES).sort());
    const json = JSON.parse(readFileSync(join(result.outDir, REPORT_FILES.json), 'utf8'));
    expect(json).toMatchObject({ exitCode: 0, verdict: 'no drift' });
    expect(json.probes).toHaveLength(ALL_PROBES.length);
    expect(readFileSync(join(result.outDir, REPORT_FILES.summary), 'utf8')).toContain(
      '## AccuAuth drift check: no drift (exit 0)',
    );
    const junit = readFileSync(join(result.outDir, REPORT_FILES.junit), 'utf8');
    expect(junit).toContain(`tests="${ALL_PROBES.length}"`);
    expect(junit).toContain('failures="0"');
  });
  it('compares raw answers: a one-letter secret that occurs in every text causes no false drift', async () => {
    const mock = await startMock({ port: 0, config: { keys: [{ id: 'i', secret: 'e' }] } });
    try {
      const result = await runDrift({
        target: { baseUrl: mock.url, apiId: 'i', apiSecret: 'e' },
        probes: PROBES,
        startReference: startMockReference,
      });
      expect(findingsOf(result)).toEqual({});
      expect(result.exitCode).toBe(0);
    } finally {
      await mock.close();
    }
  });
});

describe('the drift check names the exact probe and change of a drifted vendor', () => {
  // Each row: the stand-in, the HTTP code of the mock answers it alters, and the finding on each of them.
  const alterations: [DriftKind, number, string][] = [
    ['extra-field', 200, 'result.extra_field added'],
    ['missing-field', 200, 'result.beard missing'],
    ['changed-type', 200, 'result.confidence retyped: string, expected number'],
    [
      'xywh-face-box',
      200,
      // A decision finding now (face-box), on every answer whose box only reads one way, naming its probe.
      'decision face-box: answered as "xywh" would, not as "ltrb" (the reference mock\'s choice); probe',
    ],
    ['new-status', 401, 'status NEW_STATUS is not a documented status value'],
    ['changed-code', 401, 'HTTP 403 expected 401'],
    ['html-error', 404, 'content type text/html expected application/json'],
  ];

  for (const [kind, httpCode, finding] of alterations) {
    it(`${kind}: "${finding}" on every probe the mock answers HTTP ${httpCode}, and only there`, async () => {
      const result = await withStandIn(kind, (standIn) => driftAgainst(standIn.url));
      const drifted = findingsOf(result);
      const altered = probesAnswered(result, httpCode);
      expect(altered.length).toBeGreaterThan(0);
      expect(Object.keys(drifted).sort()).toEqual(altered.sort());
      for (const probe of altered) {
        expect(
          drifted[probe]?.some((found) => found.startsWith(finding)),
          `${probe}: ${drifted[probe]?.join('; ')}`,
        ).toBe(true);
      }
      expect(result.exitCode).toBe(1);
      expect(result.message).toContain(`drift found in ${altered.length} of ${PROBES.length} probes`);
      const summary = readFileSync(join(result.outDir, REPORT_FILES.summary), 'utf8');
      expect(summary).toContain(`- **${altered[0]}**`);
      expect(summary).toContain(`  - ${finding}`);
      expect(readFileSync(join(result.outDir, REPORT_FILES.junit), 'utf8')).toContain(`failures="${altered.length}"`);
    });
  }

  it('a missing field is also a spec violation of the target', async () => {
    const result = await withStandIn('missing-field', (standIn) => driftAgainst(standIn.url));
    expect(findingsOf(result)['jpeg-file']).toContain("HTTP 200 body.result must have required property 'beard'");
  });

  it('an HTML error page is reported as not JSON, with its start', async () => {
    const result = await withStandIn('html-error', (standIn) => driftAgainst(standIn.url));
    expect(findingsOf(result)['wrong-method']).toContain(
      'body is not JSON: "<html><body><h1>404 Not Found</h1></body></html>"',
    );
  });

  it('request ids in another format are reported on every probe', async () => {
    const result = await withStandIn('request-id-format', (standIn) => driftAgainst(standIn.url));
    const drifted = findingsOf(result);
    expect(Object.keys(drifted).sort()).toEqual(PROBES.map((probe) => probe.name).sort());
    expect(drifted['no-credentials']).toContain(
      'request_id "req-12345" does not have the spec\'s format (TID + 32 hex)',
    );
  });

  it('a server too slow for one probe: that probe has no answer within the timeout, exit 1', async () => {
    const result = await withStandIn('slow', (standIn) => driftAgainst(standIn.url, 300), 1000);
    expect(findingsOf(result)).toEqual({ 'wrong-method': ['no answer within 300 ms'] });
    expect(result.exitCode).toBe(1);
  });
});

describe('the drift check says when it could not check (exit 2)', () => {
  it('without credentials, and writes reports that say so', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'accuauth-drift-'));
    reportDirs.push(outDir);
    const result = await runDrift({ target: { baseUrl: upstream.url }, outDir, startReference: startMockReference });
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(/ACCUAUTH_API_ID and ACCUAUTH_API_SECRET are not set/);
    expect(JSON.parse(readFileSync(join(outDir, REPORT_FILES.json), 'utf8'))).toMatchObject({
      exitCode: 2,
      verdict: 'could not check',
      probes: [],
    });
    expect(readFileSync(join(outDir, REPORT_FILES.junit), 'utf8')).toContain('errors="1"');
  });

  it('with a base URL that is not a URL', async () => {
    const result = await runDrift({
      target: { baseUrl: 'cloudapi.accuauth.in', apiId: KEY.id, apiSecret: KEY.secret },
      startReference: startMockReference,
    });
    expect(result.exitCode).toBe(2);
    expect(result.message).toBe(
      'could not check: the base URL "cloudapi.accuauth.in" is not a URL (--base-url or ACCUAUTH_BASE_URL)',
    );
  });

  it('against a server that never answers', async () => {
    const result = await withStandIn('hanging', (standIn) => driftAgainst(standIn.url, 100));
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(/^could not check: none of the \d+ probes got an answer .*no answer within 100 ms/);
    expect(result.message).toContain('raise --timeout-ms');
  });

  it('against a closed port', async () => {
    const closed = await startMock({ port: 0 });
    await closed.close();
    const result = await driftAgainst(closed.url);
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(/none of the \d+ probes got an answer .*ECONNREFUSED/);
  });

  it('against a vendor answering 5xx to everything', async () => {
    const result = await withStandIn('down', (standIn) => driftAgainst(standIn.url));
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(/answered HTTP 503 to every probe it answered .*looks down/);
  });

  it('against a vendor refusing the key, which it echoes: the secret is in no report', async () => {
    const result = await withStandIn('refuses-key', (standIn) => driftAgainst(standIn.url));
    expect(result.exitCode).toBe(2);
    expect(result.message).toMatch(
      /refused the key on every probe that sends it \(UNAUTHORIZED: .*check ACCUAUTH_API_ID/,
    );
    const files = reportFiles(result.outDir);
    expect(files).toHaveLength(Object.keys(REPORT_FILES).length);
    for (const content of files) expect(content).not.toContain(KEY.secret);
    expect(files.join('\n')).toContain(REDACTED);
    expect(JSON.stringify(result.report)).not.toContain(KEY.secret);
    expect(result.summary).not.toContain(KEY.secret);
  });
});
