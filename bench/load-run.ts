import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from 'autocannon';
import type { LoadJob } from './load-worker.js';

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers by status class, to prove each server answered what the scenario expects (not fast errors). */
  byClass: { '2xx': number; '4xx': number; '5xx': number; other: number };
  errors: number;
  timeouts: number;
}

const workDir = mkdtempSync(join(tmpdir(), 'accuauth-bench-'));
let jobCount = 0;

/** Writes a body once per benchmark run; the file is what every load run of that scenario sends. */
export function bodyFile(name: string, bytes: Buffer): string {
  const path = join(workDir, `${name}.body`);
  writeFileSync(path, bytes);
  return path;
}

/** Runs autocannon in a child process (bench/load-worker.ts) and returns its figures. */
export async function runLoad(job: LoadJob): Promise<LoadFigures> {
  jobCount += 1;
  const jobFile = join(workDir, `job-${jobCount}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const worker = new URL('./load-worker.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', worker, jobFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load worker failed (exit ${code}): ${stderr}`);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Result;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    byClass: {
      '2xx': result['2xx'],
      '4xx': result['4xx'],
      '5xx': result['5xx'],
      other: result['1xx'] + result['3xx'],
    },
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
