/**
 * One autocannon run, in its own process so the load generator never shares an event loop with the benchmark's
 * bookkeeping (RSS polling, spawning). Why not autocannon's CLI: its `--input` reads the body file as UTF-8, which
 * mangles a binary JPEG upload; the API takes the exact bytes.
 *
 * Usage: node --import tsx bench/load-worker.ts JOB.json   (prints autocannon's result as one JSON line)
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  /** File holding the exact request body bytes. */
  bodyFile: string;
  /** Seconds of traffic sent before the measured run (its figures are dropped). */
  warmupSeconds: number;
}

const jobFile = process.argv[2];
if (!jobFile) throw new Error('usage: load-worker.ts JOB.json');
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as LoadJob;
const body = readFileSync(job.bodyFile);

const run = (connections: number, duration: number) =>
  autocannon({ url: job.url, method: 'POST', headers: job.headers, body, connections, duration, timeout: 30 });

if (job.warmupSeconds > 0) await run(job.connections, job.warmupSeconds);
const result = await run(job.connections, job.durationSeconds);
process.stdout.write(`${JSON.stringify(result)}\n`);
