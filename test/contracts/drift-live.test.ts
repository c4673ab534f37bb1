import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decisionMismatch, decisionsInForce } from '../../contracts/conformance/decisions-in-force.js';
import { runProbe } from '../../contracts/conformance/run-probes.js';
import { CREDENTIALS_MISSING, liveTargetFrom, vendorBaseUrl } from '../../contracts/conformance/target-from-env.js';
import { decisionsTold } from '../../contracts/drift/decision-drift.js';
import { liveProbes, probesUnder } from '../../contracts/probes/probe-catalogue.js';
import { type DriftedVendor, type DriftKind, startDriftedVendor } from '../support/drifted-vendor.js';
import { useMock } from '../support/mock-server.js';

/**
 * The live path (`npm run contracts:live`, i.e. contracts/live.test.ts with ACCUAUTH_LIVE=1) run for real, in a
 * child vitest, against vendor stand-ins on loopback: it must pass against a faithful one, fail naming the probe and
 * the change against a drifted one, and fail saying why without credentials; plain vitest skips it, saying why.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const KEY = { id: 'live-path-id', secret: 'live-path-secret-5d1e' };

// Shared: the tests run concurrently, and the key has no quota or rate limit for them to spend.
const upstream = useMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } }, { shared: true });
const standIns: DriftedVendor[] = [];
// A vendor that takes another reading of a decision: an empty `file` beside a valid image_base64 is refused.
const otherReading = useMock(
  { config: { keys: [{ id: KEY.id, secret: KEY.secret }], decisions: { 'empty-field': 'invalid' } } },
  { shared: true },
);
const configDir = mkdtempSync(join(tmpdir(), 'accuauth-live-config-'));

afterAll(async () => {
  for (const standIn of standIns) await standIn.close();
  rmSync(configDir, { recursive: true, force: true });
});

/** A team's mock config (the keys a local mock takes, and its decisions), as ACCUAUTH_MOCK_CONFIG names it. */
function mockConfig(name: string, decisions: string): string {
  const path = join(configDir, name);
  writeFileSync(path, `keys:\n  - { id: local, secret: local-secret }\ndecisions:\n${decisions}`);
  return path;
}

async function standIn(kind: DriftKind): Promise<string> {
  const started = await startDriftedVendor({ upstream: upstream.url, kind });
  standIns.push(started);
  return started.url;
}

/** Runs the live file as `npm run contracts:live` does, with `env` instead of the parent's ACCUAUTH_ variables. */
function runLiveFile(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runChild(process.execPath, [VITEST, 'run', 'contracts/live.test.ts'], { ACCUAUTH_LIVE: '1', ...env });
}

/** Runs a command in the repository with `env` instead of the parent's ACCUAUTH_ variables. */
function runChild(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  // The parent vitest's own variables would make the child think it is a worker.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && !name.startsWith('ACCUAUTH_')),
  );
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// Each child vitest boots, collects and runs the live file: several seconds idle, about 20 s with six of them
// running concurrently beside busy processes on two cores, so the tests get room well over twice that.
describe.concurrent('the live contract run', { timeout: 90_000 }, () => {
  it('targets the vendor by default and needs both credentials', () => {
    expect(liveTargetFrom({})).toEqual({ ok: false, reason: CREDENTIALS_MISSING });
    expect(liveTargetFrom({ ACCUAUTH_API_ID: 'only-the-id' })).toEqual({ ok: false, reason: CREDENTIALS_MISSING });
    expect(liveTargetFrom({ ACCUAUTH_API_ID: 'a', ACCUAUTH_API_SECRET: 'b' })).toEqual({
      ok: true,
      target: { baseUrl: vendorBaseUrl(), apiId: 'a', apiSecret: 'b' },
    });
    expect(vendorBaseUrl()).toBe('https://cloudapi.accuauth.in');
  });

  it('fails without credentials, saying why: a nightly job whose secret was lost must not stay green', async () => {
    const { code, output } = await runLiveFile({});
    expect(output).toContain(`npm run contracts:live cannot run: ${CREDENTIALS_MISSING}; nothing was checked`);
    expect(output).toMatch(/Tests\s+1 failed \| \d+ skipped/);
    expect(code).toBe(1);
  });

  it('`npm run contracts:live` itself (the live pact verification included) exits non-zero without credentials', async () => {
    const { code, output } = await runChild('npm', ['run', 'contracts:live'], {});
    expect(output).toContain(`npm run contracts:live cannot run: ${CREDENTIALS_MISSING}`);
    expect(output).toContain(`npm run contracts:live cannot verify the live API: ${CREDENTIALS_MISSING}`);
    expect(code).not.toBe(0);
  }, 120_000);

  it('under plain vitest (`npm test`, no ACCUAUTH_LIVE) skips visibly, saying why, even with credentials', async () => {
    const withoutLive = await runLiveFile({ ACCUAUTH_LIVE: '' });
    expect(withoutLive.output).toContain(`live contract run skipped: ${CREDENTIALS_MISSING}`);
    expect(withoutLive.output).toMatch(/Tests\s+\d+ skipped/);
    expect(withoutLive.code).toBe(0);
    const withKey = await runLiveFile({ ACCUAUTH_LIVE: '', ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret });
    expect(withKey.output).toContain('live contract run skipped: only `npm run contracts:live` sends requests');
    expect(withKey.code).toBe(0);
  });

  it('passes every live-safe probe against a faithful stand-in of the vendor', async () => {
    const url = await standIn('faithful');
    const { code, output } = await runLiveFile({
      ACCUAUTH_BASE_URL: url,
      ACCUAUTH_API_ID: KEY.id,
      ACCUAUTH_API_SECRET: KEY.secret,
    });
    expect(output).toMatch(new RegExp(`Tests\\s+${liveProbes().length + 1} passed`));
    expect(code).toBe(0);
  });

  it('a decision mismatch names the decision and the line of ACCUAUTH_MOCK_CONFIG that fixes it', async () => {
    const env = { ACCUAUTH_BASE_URL: otherReading.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
    const stale = mockConfig('stale.yaml', '  both-fields: file\n  empty-field: absent\n');
    const { code, output } = await runLiveFile({ ...env, ACCUAUTH_MOCK_CONFIG: stale });
    expect(output).toContain('empty-file-with-base64 was answered HTTP 400 INVALID_ARGUMENT');
    expect(output).toContain(
      `decision empty-field: the target answered as "invalid" would, not as "absent" (in force: ${stale} line 5); ` +
        `if your vendor decides so, change ${stale} line 5 to \`empty-field: invalid\``,
    );
    expect(output).toMatch(/Tests\s+\d+ failed/);
    expect(code).toBe(1);
  });

  it("passes against a vendor of another reading once ACCUAUTH_MOCK_CONFIG's decisions say so", async () => {
    const env = { ACCUAUTH_BASE_URL: otherReading.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
    const ours = mockConfig('ours.yaml', '  empty-field: invalid\n');
    const { code, output } = await runLiveFile({ ...env, ACCUAUTH_MOCK_CONFIG: ours });
    expect(output).toMatch(new RegExp(`Tests\\s+${liveProbes().length + 1} passed`));
    expect(code).toBe(0);
  });

  it("without ACCUAUTH_MOCK_CONFIG the spec's choices are in force, and the fix says where to point it", async () => {
    const bySpec = decisionsInForce({});
    if (!bySpec.ok) throw new Error(bySpec.reason);
    const probe = probesUnder(liveProbes(), bySpec.decisions.profile).find((p) => p.name === 'empty-file-with-base64');
    if (!probe) throw new Error('the live probes lost empty-file-with-base64');
    const outcome = await runProbe({ baseUrl: otherReading.url, apiId: KEY.id, apiSecret: KEY.secret }, probe);
    expect(outcome.expectationProblems).not.toEqual([]);
    const told = decisionsTold(outcome, bySpec.decisions.profile);
    expect(told.map((entry) => decisionMismatch(bySpec.decisions, entry.decision, entry.shown[0] ?? ''))).toEqual([
      'decision empty-field: the target answered as "invalid" would, not as "absent" (in force: the spec\'s choice); ' +
        'if your vendor decides so, point ACCUAUTH_MOCK_CONFIG at your mock config with `decisions: { empty-field: invalid }`',
    ]);
    const missing = join(configDir, 'missing.yaml');
    expect(decisionsInForce({ ACCUAUTH_MOCK_CONFIG: missing })).toEqual({
      ok: false,
      reason: `ACCUAUTH_MOCK_CONFIG=${missing}: cannot read the mock config (ENOENT)`,
    });
    const unknown = mockConfig('unknown.yaml', '  empty-fields: invalid\n');
    expect(decisionsInForce({ ACCUAUTH_MOCK_CONFIG: unknown })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/decisions has an unknown property "empty-fields"; known: /),
    });
  });

  it('fails naming the probe and the change against a drifted stand-in, without printing the secret', async () => {
    const url = await standIn('changed-code');
    const { code, output } = await runLiveFile({
      ACCUAUTH_BASE_URL: url,
      ACCUAUTH_API_ID: KEY.id,
      ACCUAUTH_API_SECRET: KEY.secret,
    });
    expect(output).toContain('no-credentials was answered HTTP 403 UNAUTHORIZED');
    expect(output).toContain('HTTP 403 expected 401');
    expect(output).toMatch(/Tests\s+2 failed/);
    expect(output).not.toContain(KEY.secret);
    expect(code).toBe(1);
  });
});
