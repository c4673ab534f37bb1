import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICT_GENDER_PATH } from '../src/spec/spec-document.js';
import { redisAvailability, startTestRedis } from '../test/support/redis-server.js';
import { mockCli } from './bench-servers.js';
import { type LoadFigures, runLoad } from './load-run.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/** The cost of shared state: two mock processes on one Redis against one in-memory mock, same run, same upload. */
export interface SharedStateFigures {
  /** Why the case did not run (no redis-server), if it did not. */
  skipped?: string;
  redisVersion?: string;
  connections: number;
  rounds: {
    inMemory: LoadFigures;
    /** One entry per replica, each loaded with half the connections at the same time. */
    replicas: LoadFigures[];
  }[];
}

export interface SharedStateJob {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  /** The upload of the main bench's `file` case. */
  bodyFile: string;
  headers: Record<string, string>;
  credentials: { 'x-df-api-id': string; 'x-df-api-secret': string };
  log: (line: string) => void;
}

/**
 * Both sides use the same config: the bench's key with a quota and a rate limit far above what the run reaches, so
 * every request goes through the quota and rate-limit stages (a Lua script each with Redis) besides the config
 * read and the journal.
 */
function writeConfig(credentials: SharedStateJob['credentials']): string {
  const path = join(mkdtempSync(join(tmpdir(), 'accuauth-bench-state-')), 'mock.json');
  const key = { id: credentials['x-df-api-id'], secret: credentials['x-df-api-secret'], quota: 1e9, rateLimit: 100000 };
  writeFileSync(path, JSON.stringify({ keys: [key] }));
  return path;
}

export async function measureSharedState(job: SharedStateJob): Promise<SharedStateFigures> {
  const figures: SharedStateFigures = { connections: job.connections, rounds: [] };
  const availability = redisAvailability();
  if (!availability.available) return { ...figures, skipped: availability.reason };
  const redis = await startTestRedis(availability);
  const config = writeConfig(job.credentials);
  const mock = (state: string[]) =>
    startServerProcess({
      command: process.execPath,
      args: [mockCli, 'mock', '--host', '127.0.0.1', '--port', '{port}', '--config', config, ...state],
      probePath: PREDICT_GENDER_PATH,
    });
  const load = (server: ServerProcess, connections: number) =>
    runLoad({
      url: `${server.url}${PREDICT_GENDER_PATH}`,
      connections,
      durationSeconds: job.durationSeconds,
      warmupSeconds: job.warmupSeconds,
      headers: job.headers,
      bodyFile: job.bodyFile,
    });
  try {
    const version = await redisServerVersion();
    if (version !== undefined) figures.redisVersion = version;
    for (let round = 0; round < job.rounds; round += 1) {
      const state = ['--state', redis.url, '--state-prefix', `accuauth-kit-bench:${round}:`];
      // Alternate which side runs first, as the main bench rotates its servers.
      const sides = [
        async () => {
          const server = await mock([]);
          try {
            return { inMemory: await load(server, job.connections) };
          } finally {
            await server.stop();
          }
        },
        async () => {
          const replicas = [await mock(state), await mock(state)];
          try {
            const half = Math.max(1, Math.floor(job.connections / 2));
            return { replicas: await Promise.all(replicas.map((replica) => load(replica, half))) };
          } finally {
            await Promise.all(replicas.map((replica) => replica.stop()));
          }
        },
      ];
      if (round % 2 === 1) sides.reverse();
      let measured: Partial<SharedStateFigures['rounds'][number]> = {};
      for (const side of sides) measured = { ...measured, ...(await side()) };
      const result = measured as SharedStateFigures['rounds'][number];
      figures.rounds.push(result);
      job.log(`shared state round ${round + 1}/${job.rounds}: ${describeRound(result)}`);
    }
  } finally {
    await redis.stop();
  }
  return figures;
}

async function redisServerVersion(): Promise<string | undefined> {
  const { execFileSync } = await import('node:child_process');
  const availability = redisAvailability();
  if (!availability.available || availability.binary === undefined) return undefined;
  return /v=(\S+)/.exec(execFileSync(availability.binary, ['--version'], { encoding: 'utf8' }))?.[1];
}

function combined(replicas: LoadFigures[]): { requestsPerSecond: number; p99Ms: number; non2xx: number } {
  return {
    requestsPerSecond: replicas.reduce((sum, figures) => sum + figures.requestsPerSecond, 0),
    // The worse replica's p99: the two histograms are not merged, so this is an upper bound of the combined p99.
    p99Ms: Math.max(...replicas.map((figures) => figures.p99Ms)),
    non2xx: replicas.reduce((sum, f) => sum + f.byClass['4xx'] + f.byClass['5xx'] + f.byClass.other + f.errors, 0),
  };
}

function describeRound(round: SharedStateFigures['rounds'][number]): string {
  const both = combined(round.replicas);
  return (
    `in memory ${round.inMemory.requestsPerSecond.toFixed(0)} req/s p99 ${round.inMemory.p99Ms} ms; ` +
    `2 replicas on Redis ${both.requestsPerSecond.toFixed(0)} req/s p99 ${both.p99Ms} ms ` +
    `(ratio ${(both.requestsPerSecond / round.inMemory.requestsPerSecond).toFixed(2)})`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The section of docs/benchmarks.md for this case. */
export function sharedStateMarkdown(figures: SharedStateFigures | undefined): string {
  if (figures === undefined) return '';
  const lines = ['', '## Shared state: two mock processes on one Redis against one in-memory mock', ''];
  if (figures.skipped !== undefined) {
    lines.push(`Not measured: ${figures.skipped}.`, '');
    return lines.join('\n');
  }
  lines.push(
    `The \`file\` upload, ${figures.connections} connections in total: on one in-memory mock, then split in two ` +
      `halves over two mock processes started with \`--state redis://127.0.0.1:PORT/0\` (redis-server ` +
      `${figures.redisVersion ?? '?'} on the same machine, no persistence), one after the other in the same run. ` +
      'The key has a quota and a rate limit it never reaches, so every accepted request reads the config, takes ' +
      'its rate window and quota, and appends to the journal: four round trips to Redis, each one Lua script. ' +
      'On 2 cores the two replicas, Redis and the load generators share the same cores, so the ratio is the cost ' +
      'of shared state on one machine, not the throughput of replicas on machines of their own.',
    '',
    '| round | in memory req/s | in memory p99 | 2 replicas on Redis req/s (sum) | p99 (worse replica) | ratio | non-2xx |',
    '| ----- | --------------: | ------------: | ------------------------------: | ------------------: | ----: | ------: |',
  );
  const ratios: number[] = [];
  for (const [index, round] of figures.rounds.entries()) {
    const both = combined(round.replicas);
    const ratio = both.requestsPerSecond / round.inMemory.requestsPerSecond;
    ratios.push(ratio);
    lines.push(
      `| ${index + 1} | ${round.inMemory.requestsPerSecond.toFixed(0)} | ${round.inMemory.p99Ms} ms | ` +
        `${both.requestsPerSecond.toFixed(0)} | ${both.p99Ms} ms | ${ratio.toFixed(2)}x | ${both.non2xx} |`,
    );
  }
  lines.push('', `Median ratio (replicas on Redis / in memory): **${median(ratios).toFixed(2)}x**.`, '');
  return lines.join('\n');
}
