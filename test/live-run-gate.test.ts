import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS_MISSING } from '../contracts/conformance/target-from-env.js';

/**
 * The live contract run's gate, as a nightly job meets it: `npm run contracts:live` without credentials must fail
 * (a job whose secret was lost must not stay green), while plain vitest (what `npm test` runs) skips the live suite
 * and says why. Both run as child processes, with the environment stripped of any credentials and of this run's
 * own vitest settings.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('ACCUAUTH_') && !name.startsWith('VITEST') && name !== 'NODE_OPTIONS',
    ),
  );
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the live contract run without credentials', () => {
  it('`npm run contracts:live` exits non-zero and says the credentials are missing', async () => {
    const { code, output } = await run('npm', ['run', 'contracts:live']);
    expect(code, output).not.toBe(0);
    expect(output).toContain(`npm run contracts:live cannot run: ${CREDENTIALS_MISSING}; nothing was checked`);
    expect(output).toContain(`npm run contracts:live cannot verify the live API: ${CREDENTIALS_MISSING}`);
  }, 120_000);

  it('plain vitest skips the live suite, exits 0 and says why', async () => {
    const { code, output } = await run(process.execPath, [
      fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
      'run',
      'contracts/live.test.ts',
    ]);
    expect(code, output).toBe(0);
    expect(output).toContain(`live contract run skipped: ${CREDENTIALS_MISSING}`);
  }, 120_000);
});
