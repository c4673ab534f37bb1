import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/mock-process.js';

// Exit 1 means "drift found" to a nightly job; a usage or config error must never look like it. Runs the built CLI.
describe('accuauth-kit usage errors exit 2 and say what to fix', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a timeout that is not a number',
      ['drift', '--timeout-ms', 'abc'],
      /--timeout-ms.*'abc' is invalid.*whole number/,
    ],
    ['an unknown option', ['drift', '--bogus'], /unknown option '--bogus'[\s\S]*accuauth-kit drift --help/],
    ['an unknown command', ['nope'], /unknown command 'nope'/],
    ['a port that is not a port', ['mock', '--port', 'abc'], /--port.*integer port in 0\.\.65535/],
    ['a missing required option', ['types'], /required option '--out <path>'/],
    ['a config file that does not exist', ['mock', '--port', '0', '--config', '/nonexistent/m.yaml'], /cannot read/],
    ['no command at all', [], /Usage: accuauth-kit/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: accuauth-kit ${args.join(' ')}`, async () => {
      const result = await runCli(args);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
    });
  }

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result.stdout.trim()).toBe(version);
    expect(result.code).toBe(0);
  });

  it('a port in use exits 2 and suggests --port 0', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(['mock', '--port', String(port)]);
      expect(result.stderr).toMatch(/EADDRINUSE.*--port 0/);
      expect(result.code).toBe(2);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
