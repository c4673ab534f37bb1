import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { unusedPort } from './free-port.js';

/**
 * A real Redis for the tests of the shared state: `REDIS_URL` when set (used as it is, never flushed: each test
 * takes its own key prefix), else a `redis-server` of this machine (Debian's package; `.ci/run` installs it)
 * started on a free loopback port without persistence, and stopped by the test. Where neither exists the tests
 * skip and print `reason`.
 */
export type RedisAvailability =
  | { available: true; external: string | undefined; binary: string | undefined }
  | { available: false; reason: string };

export function redisAvailability(): RedisAvailability {
  const external = process.env.REDIS_URL;
  if (external) return { available: true, external, binary: undefined };
  const binary = findOnPath('redis-server');
  if (binary) return { available: true, external: undefined, binary };
  return {
    available: false,
    reason: 'no redis-server on PATH and REDIS_URL is not set (apt-get install redis-server, or set REDIS_URL)',
  };
}

/** Prints why the Redis tests of a file are skipped, once, where a reader of the test output sees it. */
export function reportRedisSkip(availability: RedisAvailability, what: string): void {
  if (!availability.available) process.stderr.write(`[skipped] ${what}: ${availability.reason}\n`);
}

export interface TestRedis {
  url: string;
  /** Whether `stop`/`start` can take it away and bring it back (not for an outside REDIS_URL). */
  readonly controllable: boolean;
  /** Stops the server (SIGTERM, no persistence) and resolves once it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

export async function startTestRedis(availability: RedisAvailability & { available: true }): Promise<TestRedis> {
  if (availability.external !== undefined) {
    const url = availability.external;
    return {
      url,
      controllable: false,
      stop: async () => {},
      start: async () => {},
    };
  }
  const binary = availability.binary as string;
  // redis-server's own `--port 0` means "no TCP at all", so it is handed a port that was free a moment ago.
  const port = await unusedPort();
  let child: ChildProcess | undefined = await launch(binary, port);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    controllable: true,
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      await gone;
    },
    async start() {
      if (!child) child = await launch(binary, port);
    },
  };
}

function launch(binary: string, port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/ready to accept connections/i.test(output)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
  });
}

function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter).concat('/usr/bin', '/usr/sbin')) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** A key prefix no other test (or run) uses, so tests can share one Redis without flushing it. */
export function uniquePrefix(label: string): string {
  return `accuauth-kit-test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`;
}
