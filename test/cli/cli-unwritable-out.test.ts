import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `types --out /proc/nope/x.ts` used to spin a core for minutes (a recursive mkdir under /proc never returns).
// Every path that cannot be written must end at once with exit 2 and a message naming it.
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'accuauth-unwritable-'));
chmodSync(work, 0o755);
const fileInTheWay = join(work, 'a-file');
writeFileSync(fileInTheWay, 'not a directory');
const readOnly = join(work, 'read-only');
mkdirSync(readOnly, { mode: 0o555 });
chmodSync(readOnly, 0o555);
afterAll(() => rmSync(work, { recursive: true, force: true }));

// root may write into a 0555 directory, so as root the CLI runs as "nobody" for that case.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function runCli(args: string[], user: { uid?: number; gid?: number } = {}) {
  // The kill is a safety net so a regression cannot leave a spinning process behind; the test asserts the exit code.
  const child = spawn(process.execPath, [MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    killSignal: 'SIGKILL',
    cwd: work,
    ...user,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
}

describe('an --out that cannot be written ends at once with exit 2, naming the path', () => {
  const cases: [string, string, RegExp, { uid?: number; gid?: number }?][] = [
    [
      'a path under /proc',
      '/proc/nope/x.ts',
      /cannot write into \/proc\/nope: \/proc is on the proc pseudo-filesystem/,
    ],
    ['a file in the way', join(fileInTheWay, 'sub', 'x.ts'), /a-file is a file, not a directory/],
    ['an unwritable directory', join(readOnly, 'x.ts'), /read-only is not writable \(EACCES\)/, asUser],
  ];
  for (const [what, out, message, user] of cases) {
    it(`types: ${what}`, async () => {
      const result = await runCli(['types', '--out', out], user);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
      expect(result.code).toBe(2);
    });
    it(`drift: ${what}, before any probe is sent`, async () => {
      const target = ['--base-url', 'http://127.0.0.1:9', '--api-id', 'unwritable-id', '--api-secret', 'unwritable-s'];
      const result = await runCli(['drift', ...target, '--out', join(out, '..')], user);
      expect(result.stderr).toMatch(/could not check: cannot write into/);
      expect(result.code).toBe(2);
    });
  }

  it('types --out new-dir (no extension) writes new-dir/predict-gender.ts, not a file named new-dir', async () => {
    const result = await runCli(['types', '--out', join(work, 'new-dir')]);
    expect(result.code).toBe(0);
    expect(existsSync(join(work, 'new-dir', 'predict-gender.ts'))).toBe(true);
  });
});
