import { Command, CommanderError } from 'commander';
import { packageVersion } from '../src/package-version.js';
import { COULD_NOT_RUN_EXIT_CODE } from './exit-codes.js';

/**
 * Parses `process.argv` into one of `commands` and runs it; the exit code is left in `process.exitCode`. Shared by
 * the package's bin (main.ts) and the standalone executable (standalone-main.ts), which serve different commands.
 */
export async function runCli(commands: readonly Command[]): Promise<void> {
  const program = new Command('accuauth-kit')
    .description('Mock, contract tests and drift check for AccuAuth predict_gender')
    .version(packageVersion(), '-V, --version', 'print the version of accuauth-kit');
  for (const command of commands) program.addCommand(command);

  // Commander exits 1 on a usage error, which `drift` uses for "drift found": a typo in a nightly job would read as
  // vendor drift. Every command throws instead, and a usage error becomes exit 2 with a pointer to the help.
  for (const command of [program, ...program.commands]) {
    command
      .exitOverride()
      .showHelpAfterError(
        `(run "accuauth-kit ${command === program ? '' : `${command.name()} `}--help" for the usage)`,
      );
  }

  try {
    await program.parseAsync();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; --help and --version end with code 0.
      process.exitCode = error.exitCode === 0 ? 0 : COULD_NOT_RUN_EXIT_CODE;
    } else {
      // A command's own failure is reported by the command; what reaches here is unexpected: one line, no stack,
      // unless asked for.
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`accuauth-kit: ${message}\n`);
      if (process.env.ACCUAUTH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = COULD_NOT_RUN_EXIT_CODE;
    }
  }
}
