import { Command, InvalidArgumentError, Option } from 'commander';
import { ADMIN_PREFIX, ADMIN_TOKEN_ENV } from '../mock/admin/admin-prefix.js';
import {
  type ClientJudgement,
  FINDING_KINDS,
  type FindingKind,
  type JudgeSettings,
  parseFindingKinds,
  parseRequiredOutcomes,
  type RequiredOutcome,
} from '../mock/core/index.js';
import { unwritableDirectoryReason } from '../src/writable-directory.js';
import { COULD_NOT_RUN_EXIT_CODE as COULD_NOT_READ } from './exit-codes.js';
import { collect } from './option-parsers.js';

/** Where the command writes its reports unless --out says otherwise. */
export const DEFAULT_CLIENT_REPORT_DIR = 'client-report';

interface ReportCommandOptions {
  mock?: string;
  journal: string[];
  out: string;
  require?: RequiredOutcome[];
  failOn: FindingKind[];
  config?: string;
  adminToken?: string;
}

/** What the command touches outside itself, so a test can run it in-process. */
export interface ReportCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: ReportCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `accuauth-kit report`: judges the client from what the mock saw, a running mock (`--mock URL`) or saved journal
 * files (`--journal FILE`, repeatable, merged). Writes JSON, Markdown, JUnit and HTML into --out, prints the
 * Markdown on stdout (for `>> $GITHUB_STEP_SUMMARY`) and the verdict on stderr; exits 0 when every required outcome
 * was met and no finding of a failing kind, 1 otherwise, 2 for bad usage or a mock or file it cannot read.
 */
export function reportCommand(io: ReportCommandIo = processIo): Command {
  return new Command('report')
    .description("judge the client from the mock's calls; exit 0 passed, 1 failed, 2 could not read")
    .option('--mock <url>', 'read a running mock (its /__admin/coverage and /__admin/audit)')
    .option('--journal <file>', 'read a journal file written by --journal-file (repeatable: files merge)', collect, [])
    .option(
      '--out <dir>',
      'directory for client-report.json, client-summary.md, client-junit.xml, client-report.html',
      DEFAULT_CLIENT_REPORT_DIR,
    )
    .option(
      '--require <outcomes>',
      'all, or status values that must have been answered (comma-separated)',
      parseRequire,
    )
    .option(
      '--fail-on <kinds>',
      `finding kinds that exit 1, comma-separated (${FINDING_KINDS.join(',')})`,
      parseFailOn,
      [...FINDING_KINDS],
    )
    .option('--config <file>', 'with --journal: the mock config whose coverage.require and audit settings apply')
    .addOption(new Option('--admin-token <token>', "with --mock: the mock's admin token").env(ADMIN_TOKEN_ENV))
    .action(async (options: ReportCommandOptions, command: Command) => {
      if ((options.mock === undefined) === (options.journal.length === 0)) {
        command.error('give either --mock URL or --journal FILE (one or more), not both');
      }
      if (options.mock !== undefined && options.config !== undefined) {
        command.error('--config is for --journal: a running mock judges with its own config');
      }
      const unwritable = unwritableDirectoryReason(options.out);
      if (unwritable) return couldNotRead(io, `${unwritable} (--out)`);
      const read = options.mock !== undefined ? await fromMock(options.mock, options) : await fromJournals(options);
      if (!read.ok) return couldNotRead(io, read.reason);
      const { buildClientReport } = await import('../mock/report/client-report.js');
      const { writeClientReport } = await import('../mock/report/write-client-report.js');
      const report = buildClientReport(read.judgement, { source: read.source, failOn: options.failOn });
      try {
        const { markdown } = writeClientReport(report, options.out);
        io.stdout(markdown);
      } catch (error) {
        return couldNotRead(io, `cannot write the report into ${options.out}: ${(error as Error).message}`);
      }
      io.stderr(`accuauth-kit report: ${report.passed ? 'passed' : 'failed'}: ${report.message}\n`);
      io.setExitCode(report.exitCode);
    });
}

type Read = { ok: true; judgement: ClientJudgement; source: string } | { ok: false; reason: string };

async function fromMock(url: string, options: ReportCommandOptions): Promise<Read> {
  const { readMockJudgement } = await import('../mock/report/mock-judgement.js');
  const read = await readMockJudgement(url, {
    adminPrefix: ADMIN_PREFIX,
    ...(options.require ? { require: options.require } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  return read.ok ? { ...read, source: `mock ${url}` } : read;
}

async function fromJournals(options: ReportCommandOptions): Promise<Read> {
  const settings: JudgeSettings = {};
  if (options.config !== undefined) {
    const { readMockConfigFile } = await import('../mock/core/config-checks.js');
    const checked = readMockConfigFile(options.config);
    if (!checked.ok) return { ok: false, reason: `${checked.reason} (--config)` };
    if (checked.config.coverage?.require) settings.require = checked.config.coverage.require;
    if (checked.config.audit) settings.audit = checked.config.audit;
  }
  if (options.require) settings.require = options.require;
  const { replayJournalFiles } = await import('../mock/report/journal-files.js');
  const replay = replayJournalFiles(options.journal, settings);
  return replay.ok
    ? { ok: true, judgement: replay.judgement, source: `journal ${options.journal.join(', ')}` }
    : replay;
}

function couldNotRead(io: ReportCommandIo, reason: string): void {
  io.stderr(`accuauth-kit report: could not read: ${reason}\n`);
  io.setExitCode(COULD_NOT_READ);
}

function parseRequire(value: string): RequiredOutcome[] {
  const parsed = parseRequiredOutcomes(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.required;
}

function parseFailOn(value: string): FindingKind[] {
  const parsed = parseFindingKinds(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.kinds;
}
