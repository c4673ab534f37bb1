import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { unusedPort } from '../test/support/free-port.js';

/**
 * Any HTTP server run as its own process on loopback: the project's mock CLI, Prism, the benchmark's bare server.
 * The benchmark needs their start-up times and the hostile tests need the mock's pid to read its memory from /proc,
 * which an in-process `startMock` cannot give apart from the test runner's own memory.
 */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first complete HTTP answer. */
  startupMs: number;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerProcessOptions {
  command: string;
  /** The arguments; `{port}` in any of them is replaced by the port chosen. */
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The path probed until it answers; any HTTP status counts as an answer. */
  probePath?: string;
  timeoutMs?: number;
  /** The port the server answers on, when it is not the one handed to it as `{port}` (Mountebank's imposter). */
  port?: number;
}

const HOST = '127.0.0.1';

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await unusedPort());
  const url = `http://${HOST}:${port}`;
  const args = options.args.map((arg) => arg.replaceAll('{port}', String(port)));
  const started = performance.now();
  const child = spawn(options.command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Bounded so a chatty server cannot grow the runner's memory.
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 3000): Promise<void> => stopChild(child, exited, graceMs);

  const deadline = started + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.command} exited before answering (code ${child.exitCode}): ${stderr}`);
    }
    if (await answers(`${url}${options.probePath ?? '/'}`)) break;
    if (performance.now() > deadline) {
      await stop(0);
      throw new Error(
        `${options.command} did not answer on ${url} within ${options.timeoutMs ?? 20_000} ms: ${stderr}`,
      );
    }
    await sleep(5);
  }
  const startupMs = performance.now() - started;
  if (child.pid === undefined) throw new Error(`${options.command} has no pid`);
  return { url, pid: child.pid, startupMs, stderr: () => stderr, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** True when the server gave any complete HTTP answer (not when the connection was refused or reset). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(true));
      res.once('error', () => resolve(false));
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}
