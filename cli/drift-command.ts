import { Command, InvalidArgumentError } from 'commander';
import { targetSettingsFrom, vendorBaseUrl } from '../contracts/conformance/target-from-env.js';
import { DEFAULT_BEHAVIOUR_TOLERANCE } from '../contracts/drift/compare-behaviour.js';
import { DEFAULT_DRIFT_DEADLINE_MS, DEFAULT_DRIFT_TIMEOUT_MS } from '../contracts/drift/drift-report-types.js';
import {
  DEFAULT_FAIL_ON,
  FINDING_CLASSES,
  type FindingClass,
  parseFindingClasses,
} from '../contracts/drift/finding-class.js';
import { DEFAULT_LATENCY_TOLERANCE } from '../contracts/drift/latency-drift.js';
import type { DriftReference } from '../contracts/drift/run-drift.js';
import type { MockConfig } from '../mock/core/index.js';
import { DEFAULT_RECORD_MAX_CALLS } from '../src/cassette/cassette-recorder.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../src/vendor/vendor-request.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';
import { collect, parseCount } from './option-parsers.js';

/** Where the command writes its reports unless --out says otherwise (git-ignored). */
export const DEFAULT_REPORT_DIR = 'drift-report';

interface DriftCommandOptions {
  baseUrl?: string;
  apiId?: string;
  apiSecret?: string;
  out: string;
  history?: string;
  timeoutMs: number;
  deadlineMs: number;
  config?: string;
  failOn: FindingClass[];
  latencyTolerance: number;
  // Behavioural drift: a model update shows only in the answers to known images, which no schema can see.
  cassette: string[];
  tolerance: number;
  minIou: number;
  maxCalls: number;
  maxAnswerBytes: number;
}

/** What the command touches outside itself, so a test can run it in-process. */
export interface DriftCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: DriftCommandIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `accuauth-kit drift`: the nightly check. Flags win over ACCUAUTH_BASE_URL / ACCUAUTH_API_ID /
 * ACCUAUTH_API_SECRET; prints the Markdown summary on stdout (for `>> $GITHUB_STEP_SUMMARY`), the one-line verdict
 * on stderr, and exits 0 no drift, 1 drift, 2 could not check.
 */
export function driftCommand(io: DriftCommandIo = processIo): Command {
  return (
    new Command('drift')
      .description('compare the live API with the spec and the mock; exit 0 no drift, 1 drift, 2 could not check')
      .option('--base-url <url>', `target base URL (env ACCUAUTH_BASE_URL, default ${vendorBaseUrl()})`)
      .option('--api-id <id>', 'API id (env ACCUAUTH_API_ID)')
      .option('--api-secret <secret>', 'API secret (env ACCUAUTH_API_SECRET; prefer the variable: flags show in ps)')
      .option(
        '--out <dir>',
        'directory for drift-report.json, drift-summary.md, drift-junit.xml, drift-report.html',
        DEFAULT_REPORT_DIR,
      )
      .option('--history <dir>', "earlier nights' drift-report.json files: drift-report.html plots the trend")
      .option('--timeout-ms <n>', 'per-request timeout in milliseconds', parseTimeout, DEFAULT_DRIFT_TIMEOUT_MS)
      .option(
        '--deadline-ms <n>',
        'bound on the whole run: a target that never answers is judged "could not check" by then',
        parseTimeout,
        DEFAULT_DRIFT_DEADLINE_MS,
      )
      .option('--config <file>', 'the mock config your CI runs: the reference mock takes its decisions (not its keys)')
      .option(
        '--fail-on <classes>',
        `finding classes that exit 1, comma-separated (${FINDING_CLASSES.join(',')}; default ${DEFAULT_FAIL_ON.join(',')})`,
        parseFailOn,
        [...DEFAULT_FAIL_ON],
      )
      .option(
        '--latency-tolerance <n>',
        "with --history: how far the p95 latency may move from the history's median p95 (0.5 = 50%) before it is a latency finding",
        parseTolerance,
        DEFAULT_LATENCY_TOLERANCE,
      )
      // Behavioural drift: re-send each cassette image and compare with the recording.
      .option(
        '--cassette <file>',
        "re-send this cassette's images and compare with the recordings (repeatable)",
        collect,
        [],
      )
      .option(
        '--tolerance <n>',
        'how far confidence and beard_confidence may move',
        parseFraction,
        DEFAULT_BEHAVIOUR_TOLERANCE.confidence,
      )
      .option(
        '--min-iou <n>',
        'the least overlap (IoU) of the face boxes',
        parseFraction,
        DEFAULT_BEHAVIOUR_TOLERANCE.minIou,
      )
      .option('--max-calls <n>', 'send at most this many cassette images', parseCount, DEFAULT_RECORD_MAX_CALLS)
      .option(
        '--max-answer-bytes <n>',
        'read at most this many decoded bytes of each answer; a larger one is the finding "answer larger than N bytes"',
        parseCount,
        DEFAULT_MAX_ANSWER_BYTES,
      )
      .action(async (options: DriftCommandOptions) => {
        // Before any probe is sent: a nightly run must not spend vendor quota and then fail to write its reports.
        const unwritable = unwritableDirectoryReason(options.out);
        if (unwritable) {
          io.stderr(`accuauth-kit drift: could not check: ${unwritable} (--out)\n`);
          io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
          return;
        }
        // The team's mock config, read and checked before any probe is sent: a bad one is a usage error (exit 2).
        const reference = await referenceConfig(options.config);
        if (!reference.ok) {
          io.stderr(`accuauth-kit drift: could not check: ${reference.reason} (--config)\n`);
          io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
          return;
        }
        try {
          // Loaded when the command runs: the drift suite (ajv, junit-report-builder, the probe images) would
          // otherwise be compiled at every start of the CLI, `accuauth-kit mock` included.
          const { runDrift } = await import('../contracts/drift/run-drift.js');
          const { resolveDecisions } = await import('../mock/core/index.js');
          const target = targetSettingsFrom(io.env, options);
          const result = await runDrift({
            target,
            outDir: options.out,
            historyDir: options.history,
            timeoutMs: options.timeoutMs,
            maxAnswerBytes: options.maxAnswerBytes,
            deadlineMs: options.deadlineMs,
            decisions: resolveDecisions(reference.config.decisions),
            failOn: options.failOn,
            latencyTolerance: options.latencyTolerance,
            startReference: (key) => startMockReference(key, reference.config),
            ...(options.cassette.length === 0
              ? {}
              : {
                  behaviour: {
                    cassettes: options.cassette,
                    tolerance: { confidence: options.tolerance, minIou: options.minIou },
                    maxCalls: options.maxCalls,
                  },
                }),
          });
          if (result.decisionDrifts.length > 0 && result.files.length > 0) {
            // Only the decisions change; the rest of the given config (keys, scenarios, comments) is kept as written.
            const { mockProfileYaml, writeMockProfile } = await import('../contracts/drift/mock-profile.js');
            const text = mockProfileYaml(
              reference.file,
              result.decisionDrifts,
              { ...result.report, profileDir: options.out },
              [target.apiId, target.apiSecret],
            );
            const path = writeMockProfile(options.out, text);
            io.stderr(`accuauth-kit drift: wrote ${path}: the decisions the target showed, for mock --config\n`);
          }
          io.stdout(result.summary);
          io.stderr(`accuauth-kit drift: ${result.message}\n`);
          io.setExitCode(result.exitCode);
        } catch (error) {
          // A bug or an unwritable --out: say so and exit 2, never 1, which a nightly job would read as vendor drift.
          io.stderr(`accuauth-kit drift: could not check: ${error instanceof Error ? error.message : String(error)}\n`);
          io.setExitCode(COULD_NOT_RUN_EXIT_CODE);
        }
      })
  );
}

/**
 * The drift check's reference: the mock, started in-process on a free port, accepting the target's key, with the
 * decisions of the given config. Its keys, scenarios, latency and faults script a team's test cases rather than the
 * vendor's behaviour, so they are left out: the reference answers every probe as the configured vendor would.
 */
export async function startMockReference(
  key: { apiId: string; apiSecret: string },
  config: MockConfig = {},
): Promise<DriftReference> {
  const { startMock } = await import('../mock/index.js');
  return startMock({
    port: 0,
    config: {
      keys: [{ id: key.apiId, secret: key.apiSecret }],
      ...(config.decisions === undefined ? {} : { decisions: config.decisions }),
    },
  });
}

type ReferenceConfig =
  | { ok: true; config: MockConfig; file: { text: string; dir: string } | undefined }
  | { ok: false; reason: string };

async function referenceConfig(path: string | undefined): Promise<ReferenceConfig> {
  if (path === undefined) return { ok: true, config: {}, file: undefined };
  const { dirname } = await import('node:path');
  const { parseMockConfigText, readConfigText } = await import('../mock/core/config-checks.js');
  // Read once: the text kept for the report is the text that was checked.
  const read = readConfigText(path);
  if (!read.ok) return { ok: false, reason: read.reason };
  const checked = parseMockConfigText(path, read.text);
  if (!checked.ok) return checked;
  return { ok: true, config: checked.config, file: { text: read.text, dir: dirname(path) } };
}

function parseFailOn(value: string): FindingClass[] {
  const parsed = parseFindingClasses(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.classes;
}

function parseFraction(value: string): number {
  const fraction = Number(value);
  if (value.trim() === '' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new InvalidArgumentError('must be a number in 0..1');
  }
  return fraction;
}

function parseTolerance(value: string): number {
  const fraction = Number(value);
  if (value.trim() === '' || !Number.isFinite(fraction) || fraction < 0) {
    throw new InvalidArgumentError('must be a number of 0 or more (0.5 = 50%)');
  }
  return fraction;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new InvalidArgumentError('must be a whole number of milliseconds above 0');
  return ms;
}
