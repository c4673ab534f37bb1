import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { readDriftHistory } from '../contracts/drift/drift-history.js';
import { fitLatencyProfile, latencyProfileYaml } from '../contracts/drift/latency-profile.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';

interface LatencyProfileOptions {
  history: string;
  out: string;
  target?: string;
  force?: boolean;
}

/** What the command touches outside itself, so a test can run it in-process. */
export interface LatencyProfileIo {
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: LatencyProfileIo = {
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `accuauth-kit latency-profile`: fits the vendor's latencies that `drift --history` kept night after night into
 * the mock's `latency:` config, so a team's timeouts and spinners meet the vendor's real weather, reproducibly.
 * Exit 0 written, 2 nothing to fit or the file cannot be written.
 */
export function latencyProfileCommand(io: LatencyProfileIo = processIo): Command {
  return new Command('latency-profile')
    .description("fit the vendor's measured latencies (drift --history) into the mock's latency: config")
    .requiredOption('--history <dir>', "the directory of earlier nights' drift-report.json files (drift --history)")
    .requiredOption('--out <file>', 'the mock config to write, holding only latency: (YAML)')
    .option('--target <url>', "the target whose nights to fit (default: the latest night's)")
    .option('--force', 'overwrite an existing file')
    .action((options: LatencyProfileOptions) => runLatencyProfile(options, io));
}

async function runLatencyProfile(options: LatencyProfileOptions, io: LatencyProfileIo): Promise<void> {
  const fail = (message: string) => {
    io.stderr(`accuauth-kit latency-profile: ${message}\n`);
    io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
  };
  const out = resolve(options.out);
  if (existsSync(out) && !options.force) return fail(`${options.out} exists; pass --force to overwrite it`);
  const unwritable = unwritableDirectoryReason(dirname(out));
  if (unwritable) return fail(`${unwritable} (--out)`);
  const fit = fitLatencyProfile(readDriftHistory(options.history), options.target);
  for (const note of fit.notes) io.stderr(`accuauth-kit latency-profile: ${note}\n`);
  if (!fit.ok) return fail(`${fit.reason} (--history ${options.history}); nothing written`);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, latencyProfileYaml(fit));
  } catch (error) {
    return fail(`${options.out}: cannot write it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const { p50, p95, p99, max } = fit.profile.distribution;
  const own = fit.statuses.filter((status) => status.own).map((status) => status.status);
  io.stderr(
    `accuauth-kit latency-profile: wrote ${options.out} from ${fit.answers} answers over ${fit.nights} nights of ` +
      `${fit.target}: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${max} ms` +
      (own.length > 0 ? `; own distributions for ${own.join(', ')}` : '') +
      '\n',
  );
  io.setExitCode(0);
}
