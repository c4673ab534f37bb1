import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { targetSettingsFrom, vendorBaseUrl } from '../contracts/conformance/target-from-env.js';
import { DEFAULT_DRIFT_TIMEOUT_MS } from '../contracts/drift/drift-report-types.js';
import { writeCassetteFile } from '../src/cassette/cassette-file.js';
import { DEFAULT_RECORD_MAX_CALLS, recordCassette } from '../src/cassette/cassette-recorder.js';
import { redact } from '../src/secret-redaction.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../src/vendor/vendor-request.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE, PARTIAL_RECORDING_EXIT_CODE } from './exit-codes.js';
import { parseCount } from './option-parsers.js';

interface RecordCommandOptions {
  images: string[];
  out: string;
  baseUrl?: string;
  apiId?: string;
  apiSecret?: string;
  maxCalls: number;
  force?: boolean;
  timeoutMs: number;
  maxAnswerBytes: number;
}

/** What the command touches outside itself, so a test can run it in-process (as `drift` does). */
export interface RecordCommandIo {
  env: NodeJS.ProcessEnv;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: RecordCommandIo = {
  env: process.env,
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `accuauth-kit record`: sends each image once to the target (the live vendor, by default) and writes a cassette
 * that the mock replays (`mock --cassette`) and the nightly drift re-checks (`drift --cassette`). Exit 0 every image
 * recorded, 1 some not (the partial cassette is written, each failure named), 2 usage: nothing was sent.
 */
export function recordCommand(io: RecordCommandIo = processIo): Command {
  return new Command('record')
    .description("record the target's answers to your images into a cassette; exit 0 all, 1 partial, 2 usage")
    .requiredOption('--images <paths...>', 'image files and directories of images (.jpg, .jpeg, .png)')
    .requiredOption('--out <file>', 'the cassette to write (YAML)')
    .option('--base-url <url>', `target base URL (env ACCUAUTH_BASE_URL, default ${vendorBaseUrl()})`)
    .option('--api-id <id>', 'API id (env ACCUAUTH_API_ID)')
    .option('--api-secret <secret>', 'API secret (env ACCUAUTH_API_SECRET; prefer the variable: flags show in ps)')
    .option(
      '--max-calls <n>',
      'send at most this many images (each is a paid call)',
      parseCount,
      DEFAULT_RECORD_MAX_CALLS,
    )
    .option('--force', 'overwrite an existing cassette')
    .option('--timeout-ms <n>', 'per-request timeout in milliseconds', parseCount, DEFAULT_DRIFT_TIMEOUT_MS)
    .option(
      '--max-answer-bytes <n>',
      'read at most this many decoded bytes of each answer; a larger one fails that image',
      parseCount,
      DEFAULT_MAX_ANSWER_BYTES,
    )
    .action((options: RecordCommandOptions) => runRecord(options, io));
}

async function runRecord(options: RecordCommandOptions, io: RecordCommandIo): Promise<void> {
  const usage = (message: string) => {
    io.stderr(`accuauth-kit record: ${message} (run "accuauth-kit record --help" for the usage)\n`);
    io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
  };
  const target = targetSettingsFrom(io.env, options);
  const { apiId, apiSecret, baseUrl } = target;
  if (!apiId || !apiSecret) {
    return usage('ACCUAUTH_API_ID and ACCUAUTH_API_SECRET are not set (or pass --api-id and --api-secret)');
  }
  if (!URL.canParse(baseUrl)) return usage(`the base URL ${JSON.stringify(baseUrl)} is not a URL`);
  // Judged before any call is spent: a recording that cannot be kept is money thrown away.
  const out = resolve(options.out);
  if (existsSync(out) && !options.force) return usage(`${options.out} exists; pass --force to overwrite it`);
  const unwritable = unwritableDirectoryReason(dirname(out));
  if (unwritable) return usage(`${unwritable} (--out)`);

  const result = await recordCassette({
    target: { baseUrl, apiId, apiSecret },
    images: options.images,
    cassettePath: out,
    maxCalls: options.maxCalls,
    timeoutMs: options.timeoutMs,
    maxAnswerBytes: options.maxAnswerBytes,
  });
  const secrets = [apiId, apiSecret];
  const say = (text: string) => io.stderr(redact(text, secrets));
  const recorded = result.cassette.recordings.length;
  if (recorded === 0 && result.failures.length === 0 && result.notSent.length === 0) {
    return usage(`no images found in ${options.images.join(', ')} (files ending .jpg, .jpeg or .png)`);
  }
  for (const failure of result.failures)
    say(`accuauth-kit record: not recorded: ${failure.image}: ${failure.reason}\n`);
  for (const image of result.notSent)
    say(`accuauth-kit record: not sent (--max-calls ${options.maxCalls} reached): ${image}\n`);
  if (recorded > 0) {
    mkdirSync(dirname(out), { recursive: true });
    // The answers were redacted as they came in; the writer scrubs once more, as every writer of a file does.
    const cassette = redact(result.cassette, [apiSecret]);
    const written = await writeCassetteFile(out, cassette, { overwrite: options.force === true });
    if (!written.ok) {
      say(`accuauth-kit record: ${written.reason}; spent ${result.callsSpent} calls\n`);
      io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
      return;
    }
  }
  const missed = result.failures.length + result.notSent.length;
  const where = recorded > 0 ? ` into ${options.out}` : ' (nothing written)';
  say(
    `accuauth-kit record: recorded ${recorded} image${recorded === 1 ? '' : 's'}${where}; ` +
      `spent ${result.callsSpent} of at most ${options.maxCalls} calls on ${baseUrl}` +
      (missed > 0 ? `; ${missed} not recorded (named above)` : '') +
      '\n',
  );
  io.setExitCode(missed > 0 ? PARTIAL_RECORDING_EXIT_CODE : 0);
}
