import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FILES } from '../../contracts/drift/drift-report.js';
import { runDriftCommand } from '../support/drift-command-run.js';
import { startDriftedVendor } from '../support/drifted-vendor.js';
import { useMock } from '../support/mock-server.js';

/** `accuauth-kit drift` run in-process through commander, as main.ts wires it, against loopback targets. */
const KEY = { id: 'cli-test-id', secret: 'cli-test-secret-b8e2' };
const upstream = useMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } });
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function runCommand(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = mkdtempSync(join(tmpdir(), 'accuauth-drift-cli-'));
  dirs.push(out);
  return { ...(await runDriftCommand(['--out', out, '--timeout-ms', '5000', ...args], env)), out };
}

describe('accuauth-kit drift', () => {
  it('takes target and key from ACCUAUTH_* variables, prints the summary, exits 0 against the mock', async () => {
    const result = await runCommand([], {
      ACCUAUTH_BASE_URL: upstream.url,
      ACCUAUTH_API_ID: KEY.id,
      ACCUAUTH_API_SECRET: KEY.secret,
    });
    expect(result.stdout).toContain('## AccuAuth drift check: no drift (exit 0)');
    expect(result.stderr).toMatch(/^accuauth-kit drift: no drift: /);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(result.out).sort()).toEqual(Object.values(REPORT_FILES).sort());
  });

  it('lets flags win over the variables and exits 1 on drift, naming the probe and change', async () => {
    const drifted = await startDriftedVendor({ upstream: upstream.url, kind: 'changed-code' });
    try {
      const result = await runCommand(['--base-url', drifted.url, '--api-id', KEY.id, '--api-secret', KEY.secret], {
        ACCUAUTH_BASE_URL: 'http://127.0.0.1:9',
        ACCUAUTH_API_ID: 'not-this',
        ACCUAUTH_API_SECRET: 'nor-this',
      });
      expect(result.stdout).toContain('- **no-credentials**');
      expect(result.stdout).toContain('  - HTTP 403 expected 401');
      expect(result.stdout + result.stderr).not.toContain(KEY.secret);
      expect(result.exitCode).toBe(1);
    } finally {
      await drifted.close();
    }
  });

  it('exits 2 without credentials, telling the person which variables to set', async () => {
    const result = await runCommand(['--base-url', upstream.url]);
    expect(result.stderr).toContain('ACCUAUTH_API_ID and ACCUAUTH_API_SECRET are not set');
    expect(result.stdout).toContain('could not check (exit 2)');
    expect(result.exitCode).toBe(2);
  });

  it('exits 2, not 1, when it cannot write its reports', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'accuauth-drift-cli-')), 'a-file');
    dirs.push(dirname(blocker));
    writeFileSync(blocker, 'not a directory');
    const result = await runCommand(['--out', join(blocker, 'reports'), '--base-url', upstream.url], {
      ACCUAUTH_API_ID: KEY.id,
      ACCUAUTH_API_SECRET: KEY.secret,
    });
    expect(result.stderr).toMatch(
      /^accuauth-kit drift: could not check: cannot write into .*a-file is a file, not a directory/,
    );
    expect(result.exitCode).toBe(2);
  });

  it('refuses a timeout that is not a positive whole number', async () => {
    await expect(runCommand(['--timeout-ms', 'soon'])).rejects.toThrow(/must be a whole number of milliseconds/);
  });
});
