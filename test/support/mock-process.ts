import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const READY = /^accuauth-kit mock listening on (http:\/\/\S+)$/m;
/** A program and the arguments before the command's own. */
export type CliCommand = readonly [program: string, ...args: string[]];
const BUILT_CLI: CliCommand = [process.execPath, MAIN];

export interface MockProcess {
  url: string;
  /** The process id, to read its memory from /proc. */
  pid: number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
}

/**
 * Runs the built CLI (`node dist/cli/main.js mock --port 0`) as a separate process, as a user would, and
 * resolves once it printed its ready line. Needs `npm run build` first (npm test builds before vitest).
 */
export function startMockProcess(
  options: {
    config?: string;
    env?: NodeJS.ProcessEnv;
    /** More flags of `mock`. */
    args?: readonly string[];
    /** What runs the CLI; default `node dist/cli/main.js` (the standalone executable's test passes its path). */
    cli?: CliCommand;
    cwd?: string;
  } = {},
): Promise<MockProcess> {
  const [program, ...programArgs] = options.cli ?? BUILT_CLI;
  const args = [
    ...programArgs,
    'mock',
    '--port',
    '0',
    ...(options.config ? ['--config', options.config] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(program, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const ready = READY.exec(stdout);
      if (ready?.[1] && child.pid !== undefined) {
        resolve({ url: ready[1], pid: child.pid, stop: (signal) => stop(child, exited, signal), stderr: () => stderr });
      }
    });
    exited.then((code) => reject(new Error(`the mock exited with ${code} before it was ready:\n${stderr}`)));
  });
}

async function stop(
  child: ChildProcess,
  exited: Promise<number | null>,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode === null) child.kill(signal);
  return exited;
}

/**
 * Resolves once the process's stderr matches `pattern` (a log line is written after the answer went out), or
 * rejects with what it did write after `timeoutMs`, so a missing line fails the test with the evidence.
 */
export async function waitForStderr(mock: MockProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  while (!pattern.test(mock.stderr())) {
    if (performance.now() > deadline) throw new Error(`stderr never matched ${pattern}; it reads:\n${mock.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return mock.stderr();
}

/** Runs the CLI to completion (for commands that must fail fast) and returns its exit code and output. */
export function runCli(
  args: string[],
  cli: CliCommand = BUILT_CLI,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [program, ...programArgs] = cli;
  const child = spawn(program, [...programArgs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
