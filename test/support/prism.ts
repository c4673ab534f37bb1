import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { findSpecPath } from '../../src/spec/spec-document.js';

export type PrismArgs = ({ mode: 'mock' } | { mode: 'proxy'; upstream: string; errors?: boolean }) & {
  /** Prism's environment; the test's own when not given (the referee adds a loopback guard through NODE_OPTIONS). */
  env?: NodeJS.ProcessEnv;
};

export interface RunningPrism {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  stop(): Promise<void>;
  /** Everything Prism printed so far (ANSI colours removed): its request log and any violations it reported. */
  output(): string;
  /**
   * Resolves once the output matches `pattern`. Prism logs a request (and its violations) after answering it, so
   * a test that just got its answer waits here before asserting on the output.
   */
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
// Prism passes port 0 to listen() and prints the port it got, which avoids a probe-then-close race.
const LISTENING = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Starts Prism (`mock` of the spec, or `proxy` in front of an upstream, with `--errors` so violations turn into
 * error answers) on 127.0.0.1 and a free port, and resolves once it listens. Start-up takes seconds: start one per
 * test file, in `beforeAll`.
 */
export async function startPrism(args: PrismArgs): Promise<RunningPrism> {
  const root = join(findSpecPath(), '..', '..');
  const spec = findSpecPath();
  const modeArgs = args.mode === 'mock' ? ['mock', spec] : ['proxy', spec, args.upstream];
  const errors = args.mode === 'proxy' && args.errors === true ? ['--errors'] : [];
  const child = spawn(
    join(root, 'node_modules', '.bin', 'prism'),
    [...modeArgs, '-h', '127.0.0.1', '-p', '0', ...errors],
    {
      cwd: root,
      env: args.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8').replace(ANSI, '');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Prism did not start within ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = () => {
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`Prism exited with code ${code} before listening:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    function fail(error: Error) {
      cleanup();
      kill(child);
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });

  const matches = (pattern: RegExp | string) =>
    typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output);

  return {
    url,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 5_000) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
        };
        const check = () => {
          if (!matches(pattern)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Prism printed nothing matching ${String(pattern)} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      kill(child);
      await exited;
    },
  };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
